package dev.ballast.lm.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.InputException;
import dev.ballast.engine.math.KernelProvider;
import org.junit.jupiter.api.Test;

class BenchConfigTest {

    @Test
    void countsFlopsOfTheReferenceLstm() {
        // char-lstm-2x256: layer 0: 2·1024·(64+256) = 655,360; layer 1: 2·1024·(256+256) = 1,048,576;
        // output: 2·256·65 = 33,280; forward 1,737,216 per token, training 3× that = 5,211,648.
        BenchConfig c = BenchConfig.named("char-lstm-2x256");
        assertEquals(1_737_216.0, c.forwardFlopsPerToken());
        assertEquals(5_211_648.0, c.trainFlopsPerToken());
    }

    @Test
    void countsFlopsOfTheVanillaRnn() {
        // char-rnn-1x512: one gate block: 2·512·(64+512) = 589,824; output 2·512·65 = 66,560.
        assertEquals(656_384.0, BenchConfig.named("char-rnn-1x512").forwardFlopsPerToken());
    }

    @Test
    void parameterCountMatchesTheReferenceUpToItsSecondBias() {
        // PyTorch reports 876,929 parameters for char-lstm-2x256; it keeps two bias vectors per layer
        // (b_ih and b_hh, 1024 each) where Ballast keeps one: 876,929 - 2·1024 = 874,881.
        var model = new dev.ballast.lm.LanguageModel(BenchConfig.named("char-lstm-2x256").modelConfig(),
                KernelProvider.scalar());
        assertEquals(874_881, model.parameterCount());
    }

    @Test
    void wordModelHasTheReferencesParameterCount() {
        // PyTorch prints 3,689,196 for word-lstm-2x200; less its second bias vector per layer (2·800).
        var model = new dev.ballast.lm.LanguageModel(BenchConfig.named("word-lstm-2x200").modelConfig(),
                KernelProvider.scalar());
        assertEquals(3_689_196 - 2 * 800, model.parameterCount());
    }

    @Test
    void wordVocabularyIsTheOneTheReferenceBuilds() throws java.io.IOException {
        String root = System.getProperty("ballast.corpora");
        org.junit.jupiter.api.Assumptions.assumeTrue(root != null && !root.isBlank() && !root.startsWith("${"),
                "ballast.corpora not set");
        java.nio.file.Path ptb = java.nio.file.Path.of(root, "ptb");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(ptb), "no ptb under " + root);
        java.util.Set<String> words = new java.util.HashSet<>();
        words.add("<eos>");
        for (String part : new String[] {"valid", "test"}) {
            for (String line : java.nio.file.Files.readAllLines(ptb.resolve("ptb." + part + ".txt"))) {
                for (String w : line.trim().split("\\s+")) {
                    if (!w.isEmpty()) {
                        words.add(w);
                    }
                }
            }
        }
        assertEquals(words.size(), BenchConfig.named("word-lstm-2x200").vocab());
    }

    @Test
    void unknownConfigListsTheChoices() {
        InputException e = assertThrows(InputException.class, () -> BenchConfig.named("char-gru"));
        assertTrue(e.getMessage().contains("char-lstm-2x256"), e.getMessage());
    }

    @Test
    void runReportsPositiveRates() {
        BenchConfig tiny = new BenchConfig("tiny", "char", dev.ballast.engine.nn.CellType.LSTM, 1, 8, 4, 5, 2, 11);
        ThroughputBenchmark.Result r = ThroughputBenchmark.run(tiny, KernelProvider.scalar(), 1, 2, 1, 1.0);
        assertTrue(r.trainTokensPerSecond() > 0 && r.genTokensPerSecond() > 0 && r.gflops() > 0);
    }
}
