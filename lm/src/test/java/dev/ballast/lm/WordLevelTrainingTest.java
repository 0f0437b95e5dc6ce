package dev.ballast.lm;

import dev.ballast.tokenizer.UnknownPolicy;

import dev.ballast.engine.InputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.word.AnalyzerSpec;
import dev.ballast.tokenizer.word.WordTokenizer;
import dev.ballast.engine.io.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Word-level configuration, data loading and tokenizer persistence. */
class WordLevelTrainingTest {

    @Test
    void wordFieldsRoundTripThroughJsonAndOldJsonGetDefaults() throws Exception {
        TrainingConfig c = TrainingConfig.builder().level(TokenLevel.WORD).analyzer("tokenizer=standard|filter=lowercase")
                .minFreq(2).maxVocab(500).embed(32).hidden(32).tieWeights(true).build();
        String json = ModelFiles.JSON.writeValueAsString(c);
        assertTrue(json.contains("\"min_freq\"") && json.contains("\"tie_weights\""), json);
        assertEquals(c, ModelFiles.JSON.readValue(json, TrainingConfig.class));
        TrainingConfig old = ModelFiles.JSON.readValue("{\"hidden\": 8}", TrainingConfig.class);
        assertEquals(TokenLevel.CHAR, old.level());
        assertEquals("lm", old.analyzer());
        assertEquals(1, old.minFreq());
        assertEquals(0, old.maxVocab());
    }

    @Test
    void wordSettingsAreValidatedNamingTheFlag() {
        assertEquals("level must be one of char, word, got 'bytes'",
                assertThrows(InputException.class, () -> TokenLevel.parse("bytes")).getMessage());
        assertMessage(TrainingConfig.builder().level(TokenLevel.WORD).analyzer("nope"), "unknown analyzer 'nope'");
        assertMessage(TrainingConfig.builder().minFreq(0), "min_freq must be at least 1");
        assertMessage(TrainingConfig.builder().maxVocab(2), "max_vocab must be 0");
        assertMessage(TrainingConfig.builder().tieWeights(true).embed(64).hidden(256), "tie_weights needs embed equal to hidden");
        assertMessage(TrainingConfig.builder().level(TokenLevel.WORD).unknownPolicy(UnknownPolicy.ERROR), "unknown_policy must be replace");
    }

    private static void assertMessage(TrainingConfig.Builder b, String part) {
        InputException e = assertThrows(InputException.class, b::build);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void wordTokenizerSurvivesTheModelJson() {
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.parse("tokenizer=whitespace|filter=lowercase"), "A b a\n", 1, 0);
        ObjectNode json = TokenizerCodec.toJson(tok);
        Tokenizer back = TokenizerCodec.fromJson(json, "model.json");
        assertEquals(tok, back);
        assertArrayEquals(tok.encode("B A\n"), back.encode("B A\n"));
        json.put("analyzer", "klingon");
        CheckpointException e = assertThrows(CheckpointException.class, () -> TokenizerCodec.fromJson(json, "model.json"));
        assertTrue(e.getMessage().startsWith("model.json: tokenizer: unknown analyzer 'klingon'"), e.getMessage());
    }

    @Test
    void wordDataSplitsOnWordsAndFitsTheVocabularyOnTrainingOnly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.txt"), "a b a b a\nb a c d\n");
        TrainingData d = TrainingData.load(TrainingConfig.builder().level(TokenLevel.WORD).analyzer("whitespace")
                .corpus(f.toString()).validFraction(0.25).build());
        // 11 words (two <eos>): train = first int(0.75 * 11) = 8
        assertEquals(8, d.train().length);
        assertEquals(3, d.valid().length);
        assertEquals(4, d.tokenizer().vocabulary().size()); // <unk> <eos> a b
        assertEquals(2, d.validUnknown()); // c d <eos>: c and d never occur in training
        assertEquals(0, d.trainUnknown());
        assertEquals(2.0 / 3, d.validOovRate(), 1e-12);
    }

    @Test
    void corpusVocabularyScopeIndexesTheValidationWordsToo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.txt"), "a b a b a\nb a c d\n");
        TrainingData d = TrainingData.load(TrainingConfig.builder().level(TokenLevel.WORD).analyzer("whitespace")
                .corpus(f.toString()).validFraction(0.25).vocabScope(VocabScope.CORPUS).build());
        // Same split as above, but c and d now have ids of their own: nothing in validation is unknown.
        assertEquals(8, d.train().length);
        assertEquals(6, d.tokenizer().vocabulary().size()); // <unk> <eos> a b c d
        assertEquals(0, d.validUnknown());
        assertEquals("vocab_scope must be one of train, corpus, got 'all'",
                assertThrows(InputException.class, () -> VocabScope.parse("all")).getMessage());
        assertMessage(TrainingConfig.builder().vocabScope(VocabScope.CORPUS).valid("v.txt"), "vocab_scope corpus takes");
    }

    @Test
    void wordLevelResumeContinuesExactly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.txt"), "the cat sat on the mat .\nthe dog sat on the log .\n".repeat(20));
        TrainingConfig.Builder b = TrainingConfig.builder().level(TokenLevel.WORD).analyzer("whitespace").corpus(f.toString())
                .layers(1).hidden(12).embed(12).tieWeights(true).seq(6).batch(3).evalEvery(4).sampleLength(0).threads(1);
        LanguageModelTask.start(b.steps(10).build(), dir.resolve("straight"), null).run();
        LanguageModelTask.start(b.steps(6).build(), dir.resolve("split"), null).run();
        LanguageModelTask.resume(dir.resolve("split"), c -> c.toBuilder().steps(10).build(), null, null).run();
        var a = dev.ballast.lm.ModelFiles.load(dev.ballast.training.checkpoint.CheckpointStore.resolveResume(dir.resolve("straight")),
                dev.ballast.engine.math.KernelProvider.scalar()).network().parameters();
        var c = dev.ballast.lm.ModelFiles.load(dev.ballast.training.checkpoint.CheckpointStore.resolveResume(dir.resolve("split")),
                dev.ballast.engine.math.KernelProvider.scalar()).network().parameters();
        for (int i = 0; i < a.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(i).value(), c.get(i).value(), a.get(i).name());
        }
    }

    @Test
    void ptbValidThenTestSplitMatchesThePyTorchReference() {
        String root = System.getProperty("ballast.corpora");
        assumeTrue(root != null && !root.isBlank() && !root.startsWith("${"), "ballast.corpora not set");
        Path ptb = Path.of(root, "ptb");
        assumeTrue(Files.isDirectory(ptb), ptb + " missing");
        TrainingData d = TrainingData.load(TrainingConfig.builder().level(TokenLevel.WORD).analyzer("whitespace")
                .corpus(ptb.resolve("ptb.valid.txt") + "," + ptb.resolve("ptb.test.txt")).build());
        // torch_lstm_bench.py: line.split() + ["<eos>"] over valid then test, n = int(0.9 * len)
        assertEquals(140_571, d.train().length);
        assertEquals(15_619, d.valid().length);
        long lines = java.util.stream.IntStream.concat(java.util.Arrays.stream(d.train()), java.util.Arrays.stream(d.valid()))
                .filter(id -> id == 1).count();
        assertEquals(3370 + 3761, lines); // one <eos> per line of ptb.valid.txt and ptb.test.txt
        assertTrue(d.validOovRate() < 0.03, "OOV " + d.validOovRate());
    }
}
