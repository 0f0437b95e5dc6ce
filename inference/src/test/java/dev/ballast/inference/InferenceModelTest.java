package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.export.OnnxExporter;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.tokenizer.word.AnalyzerSpec;
import dev.ballast.tokenizer.word.WordTokenizer;
import dev.ballast.engine.Rng;
import dev.ballast.lm.generate.SamplingOptions;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceModelTest {

    static final String TEXT = "To be, or not to be, that is the question.\nWhether 'tis nobler in the mind to suffer\n";

    @TempDir
    static Path tmp;
    static Path dir;
    static Path onnx;

    @BeforeAll
    static void saveAndExport() {
        CharTokenizer tokenizer = CharTokenizer.fit(TEXT, UnknownPolicy.REPLACE);
        LanguageModel net = new LanguageModel(new ModelConfig(CellType.LSTM, tokenizer.vocabulary().size(), 8, 12, 2, 0f),
                KernelProvider.scalar());
        net.initialize(new Rng(11));
        TrainedModel model = new TrainedModel(net, tokenizer, null, null, JsonNodeFactory.instance.objectNode());
        dir = tmp.resolve("model");
        ModelFiles.save(model, dir);
        onnx = tmp.resolve("model.onnx");
        OnnxExporter.write(OnnxExporter.export(model), onnx);
    }

    @Test
    void opensDirectoryWithEngineAndFileWithOnnxRuntime() {
        try (InferenceModel a = InferenceModel.open(dir, 1); InferenceModel b = InferenceModel.open(onnx, 1)) {
            assertInstanceOf(EngineModel.class, a);
            assertInstanceOf(OnnxModel.class, b);
            assertEquals(a.config(), b.config());
            assertEquals("onnxruntime", b.info().toJson().get("backend").asText());
        }
    }

    @Test
    void bothBackendsScoreTheSame() {
        try (InferenceModel a = InferenceModel.open(dir, 1); InferenceModel b = InferenceModel.open(onnx, 1)) {
            Score sa = Scorer.score(a, "To be, or not to be");
            Score sb = Scorer.score(b, "To be, or not to be");
            assertEquals(19, sa.tokens());
            for (int i = 0; i < sa.tokens(); i++) {
                assertEquals(sa.logProbs()[i], sb.logProbs()[i], 1e-4);
            }
            assertEquals(Math.exp(-sa.total() / sa.tokens()), sa.perplexity(), 1e-9);
            assertEquals(sa.meanLoss() / Math.log(2), sa.bitsPerToken(), 1e-12);
        }
    }

    @Test
    void wordModelScoresItsFirstTokenAfterTheEndOfLineToken() {
        WordTokenizer tokenizer = WordTokenizer.fit(AnalyzerSpec.defaults(), "the market rose .\nthe market fell .\n", 1, 0);
        LanguageModel net = new LanguageModel(new ModelConfig(CellType.LSTM, tokenizer.vocabulary().size(), 8, 12, 1, 0f),
                KernelProvider.scalar());
        net.initialize(new Rng(5));
        TrainedModel model = new TrainedModel(net, tokenizer, null, null, JsonNodeFactory.instance.objectNode());
        Path wordDir = tmp.resolve("word-model");
        ModelFiles.save(model, wordDir);
        Path wordOnnx = tmp.resolve("word-model.onnx");
        OnnxExporter.write(OnnxExporter.export(model), wordOnnx);
        int eos = tokenizer.vocabulary().id(WordTokenizer.END_OF_LINE);
        int the = tokenizer.vocabulary().id("the");
        int market = tokenizer.vocabulary().id("market");
        for (Path p : List.of(wordDir, wordOnnx)) {
            try (InferenceModel m = InferenceModel.open(p, 1)) {
                Score two = Scorer.score(m, "the market");
                assertEquals(2, two.tokens(), p.toString());
                assertArrayEquals(new int[] {eos, the}, two.inputs());
                assertArrayEquals(new int[] {the, market}, two.targets());
                assertEquals(List.of("the", "market"), two.pieces());
                float[] afterEos = m.newSession().feed(new int[] {eos});
                assertEquals(afterEos[the], two.logProbs()[0], 1e-6);
                Score one = Scorer.score(m, "the");
                assertEquals(1, one.tokens());
                assertEquals(two.logProbs()[0], one.logProbs()[0], 1e-6);
            }
        }
    }

    @Test
    void exportedFileAloneGeneratesTheSameGreedyTextAsTheEngine() {
        GenerationRequest req = GenerationRequest.of("To be", 30).withSampling(SamplingOptions.GREEDY);
        try (InferenceModel a = InferenceModel.open(dir, 1); InferenceModel b = InferenceModel.open(onnx, 1)) {
            Generation ga = Generator.generate(a, req, null);
            Generation gb = Generator.generate(b, req, null);
            assertEquals(30, gb.tokens());
            assertEquals(ga.text(), gb.text());
        }
    }

    @Test
    void bothBackendsSampleTheSameTextForTheSameSeedThroughTheSharedLoop() {
        // Temperature, top-k and top-p all active, a stop string that may or may not occur, and streaming:
        // the two back-ends' log-probabilities agree to ~1e-6, far from any sampling boundary these seeds meet.
        GenerationRequest req = new GenerationRequest("To be", 60, new SamplingOptions(0.9, 12, 0.95), 0L, List.of("the"));
        try (InferenceModel a = InferenceModel.open(dir, 1); InferenceModel b = InferenceModel.open(onnx, 1)) {
            for (long seed = 1; seed <= 4; seed++) {
                List<String> streamedA = new ArrayList<>();
                List<String> streamedB = new ArrayList<>();
                Generation ga = Generator.generate(a, req.withSeed(seed), streamedA::add);
                Generation gb = Generator.generate(b, req.withSeed(seed), streamedB::add);
                assertEquals(ga, gb);
                assertEquals(streamedA, streamedB);
                assertEquals(ga.text(), String.join("", streamedA));
            }
        }
    }

    @Test
    void sessionCarriesStateAcrossCalls() {
        try (InferenceModel m = InferenceModel.open(onnx, 1)) {
            int[] ids = m.tokenizer().encode("that is the");
            float[] whole = m.newSession().feed(ids);
            InferenceSession s = m.newSession();
            float[] first = s.feed(java.util.Arrays.copyOfRange(ids, 0, 4));
            float[] rest = s.feed(java.util.Arrays.copyOfRange(ids, 4, ids.length));
            float[] joined = new float[whole.length];
            System.arraycopy(first, 0, joined, 0, first.length);
            System.arraycopy(rest, 0, joined, first.length, rest.length);
            assertArrayEquals(whole, joined, 1e-5f);
        }
    }

    @Test
    void sameSeedSameTextAndStopStringEndsGeneration() {
        try (InferenceModel m = InferenceModel.open(dir, 1)) {
            GenerationRequest req = GenerationRequest.of("", 200).withSeed(3);
            Generation a = Generator.generate(m, req, null);
            assertEquals(a, Generator.generate(m, req, null));
            String stop = a.text().substring(20, 22); // occurs in the unstopped text, at 20 or earlier
            List<String> streamed = new ArrayList<>();
            Generation b = Generator.generate(m, req.withStop(List.of(stop)), streamed::add);
            assertEquals("stop", b.stopReason());
            assertTrue(a.text().startsWith(b.text()));
            assertFalse(b.text().contains(stop));
            assertEquals(a.text().indexOf(stop), b.text().length());
            assertEquals(b.text(), String.join("", streamed));
        }
    }

    @Test
    void notAModelGivesOneLineError() throws IOException {
        Path junk = tmp.resolve("junk.onnx");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        CheckpointException e = assertThrows(CheckpointException.class, () -> InferenceModel.open(junk, 1));
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(CheckpointException.class, () -> InferenceModel.open(tmp.resolve("nothing-here"), 1));
    }
}
