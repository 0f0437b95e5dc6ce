package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.nn.CellType;
import dev.ballast.export.OnnxExporter;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.lm.generate.SamplingOptions;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching must not change anyone's answer: requests stepped together, joining and leaving the
 * batch at different steps and reading their prompts in chunks, give exactly (bit for bit on the engine) what
 * each gives alone through {@link Generator} and {@link Scorer}.
 */
class BatchSchedulerTest {

    static final String TEXT = "To be, or not to be, that is the question.\nWhether 'tis nobler in the mind to suffer\n"
            + "The slings and arrows of outrageous fortune,\nOr to take arms against a sea of troubles\n";

    @TempDir
    static Path tmp;
    static InferenceModel engine;
    static InferenceModel onnx;

    @BeforeAll
    static void models() {
        CharTokenizer tokenizer = CharTokenizer.fit(TEXT, UnknownPolicy.ERROR);
        // 2 x 40 LSTM: 4H = 160 and H = 40 are not whole vectors of every width, so the kernels' tails run too
        LanguageModel net = new LanguageModel(new ModelConfig(CellType.LSTM, tokenizer.vocabulary().size(), 16, 40, 2, 0f),
                KernelProvider.best(2));
        net.initialize(new Rng(5));
        TrainedModel model = new TrainedModel(net, tokenizer, null, null, JsonNodeFactory.instance.objectNode());
        Path dir = tmp.resolve("model");
        ModelFiles.save(model, dir);
        engine = InferenceModel.open(dir, 2);
        Path file = tmp.resolve("model.onnx");
        OnnxExporter.write(OnnxExporter.export(model), file);
        onnx = InferenceModel.open(file, 1);
    }

    @AfterAll
    static void close() {
        engine.close();
        onnx.close();
    }

    /** Requests of every kind of setting: prompts from empty to longer than several prefill chunks. */
    static List<GenerationRequest> requests() {
        String[] prompts = {"", "To be", "Whether 'tis nobler in the mind to suffer\nThe slings and arrows of outrageous",
                "O", "The slings", "Or to take arms against a sea of troubles, or not to be, that is", "a sea"};
        SamplingOptions[] samplings = {SamplingOptions.DEFAULT, new SamplingOptions(0.7, 0, 1.0), SamplingOptions.GREEDY,
                new SamplingOptions(1.3, 5, 1.0), new SamplingOptions(0.9, 0, 0.8), new SamplingOptions(1.0, 3, 0.9)};
        List<GenerationRequest> out = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            GenerationRequest r = new GenerationRequest(prompts[i % prompts.length], 5 + 7 * (i % 5),
                    samplings[i % samplings.length], 100 + i, i % 4 == 3 ? List.of("e", "th") : List.of());
            out.add(r);
        }
        return out;
    }

    static CompletableFuture<List<Generation>> submit(BatchScheduler scheduler, InferenceModel model, GenerationRequest r,
                                                      int n, ServerMetrics metrics) {
        CompletableFuture<List<Generation>> done = new CompletableFuture<>();
        int size = model.config().layers() * model.config().hidden();
        boolean lstm = model.config().cell() == CellType.LSTM;
        scheduler.submit(new GenerateJob(TimeUnit.SECONDS.toNanos(60), n, i -> new GenerateStream(model, new float[size],
                lstm ? new float[size] : null, r, i, r.seed() + i, -1, null, metrics, r.prompt(), null, null),
                new GenerateJob.Handler() {
                    @Override
                    public void completed(List<GenerateStream> streams) {
                        done.complete(streams.stream().map(GenerateStream::generation).toList());
                    }

                    @Override
                    public void aborted(BatchJob.Abort reason, Throwable error, List<GenerateStream> streams) {
                        done.completeExceptionally(error != null ? error : new IllegalStateException(reason.name()));
                    }
                }));
        return done;
    }

    void concurrentEqualsAlone(InferenceModel model) throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        List<GenerationRequest> requests = requests();
        try (BatchScheduler scheduler = new BatchScheduler(model, 64, 256, 8, metrics)) {
            List<CompletableFuture<List<Generation>>> futures = new ArrayList<>();
            for (GenerationRequest r : requests) {
                futures.add(submit(scheduler, model, r, 1, metrics));
            }
            for (int i = 0; i < requests.size(); i++) {
                Generation alone = Generator.generate(model, requests.get(i), null);
                assertEquals(alone, futures.get(i).get(60, TimeUnit.SECONDS).get(0), "request " + i + ": " + requests.get(i));
            }
        }
        assertTrue(metrics.batchSize.count() > 0);
        assertTrue(metrics.modelSteps.sum() < requests.stream().mapToInt(GenerationRequest::maxTokens).sum(),
                "the requests were stepped together, not one by one");
    }

    @Test
    void concurrentRequestsGiveExactlyWhatEachGivesAloneOnTheEngine() throws Exception {
        concurrentEqualsAlone(engine);
    }

    @Test
    void concurrentRequestsGiveExactlyWhatEachGivesAloneOnOnnxRuntime() throws Exception {
        concurrentEqualsAlone(onnx);
    }

    @Test
    void nSamplesAreTheRequestsWithSeedsSeedToSeedPlusNMinusOne() throws Exception {
        GenerationRequest r = new GenerationRequest("To be", 20, new SamplingOptions(0.8, 0, 1.0), 7, List.of());
        try (BatchScheduler scheduler = new BatchScheduler(engine, 8, 8, 4, new ServerMetrics())) {
            List<Generation> got = submit(scheduler, engine, r, 4, new ServerMetrics()).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                assertEquals(Generator.generate(engine, r.withSeed(7 + i), null), got.get(i));
            }
            assertThrows(IllegalArgumentException.class, () -> submit(scheduler, engine, r, 9, new ServerMetrics()));
        }
    }

    @Test
    void scoresInABatchAreBitForBitTheScorersAlone() throws Exception {
        String[] texts = {"To be, or not to be", "that is the question.", "T", "Whether 'tis nobler in the mind to suffer\n"
                + "The slings and arrows of outrageous fortune,"};
        ServerMetrics metrics = new ServerMetrics();
        try (BatchScheduler scheduler = new BatchScheduler(engine, 64, 256, 5, metrics)) {
            List<CompletableFuture<Score>> futures = new ArrayList<>();
            for (String t : texts) {
                CompletableFuture<Score> f = new CompletableFuture<>();
                scheduler.submit(new SimpleJob<>(TimeUnit.SECONDS.toNanos(60),
                        () -> new ScoreStream(engine, Scorer.prepare(engine.tokenizer(), t), metrics),
                        s -> f.complete(s.score()), (reason, e) -> f.completeExceptionally(new IllegalStateException(reason.name()))));
                futures.add(f);
            }
            for (int i = 0; i < texts.length; i++) {
                Score alone = Scorer.score(engine, texts[i]);
                Score batched = futures.get(i).get(60, TimeUnit.SECONDS);
                assertArrayEquals(alone.logProbs(), batched.logProbs(), texts[i]);
                assertEquals(alone.total(), batched.total());
                assertEquals(alone.pieces(), batched.pieces());
            }
        }
    }

    @Test
    void aSessionFedInFivePiecesPredictsWhatTheWholeTextPredicts() throws Exception {
        String text = "Whether 'tis nobler in the mind to suffer\nThe slings and arrows";
        ServerMetrics metrics = new ServerMetrics();
        SessionStore store = new SessionStore(engine.config(), 4, 60, metrics);
        try (BatchScheduler scheduler = new BatchScheduler(engine, 8, 8, 4, metrics)) {
            SessionStore.Session whole = store.create();
            feed(scheduler, whole, engine.tokenizer().encode(text), metrics);
            SessionStore.Session pieces = store.create();
            int[] cuts = {0, 3, 4, 20, 41, text.length()};
            for (int i = 0; i < 5; i++) {
                feed(scheduler, pieces, engine.tokenizer().encode(text.substring(cuts[i], cuts[i + 1])), metrics);
            }
            assertArrayEquals(whole.next, pieces.next);
            assertArrayEquals(whole.h, pieces.h);
            assertEquals(whole.tokens, pieces.tokens);
            // and both are what a single-stream session reading the text at once predicts
            float[] rows = engine.newSession().feed(engine.tokenizer().encode(text));
            int v = engine.config().vocabSize();
            assertArrayEquals(java.util.Arrays.copyOfRange(rows, rows.length - v, rows.length), whole.next);
        }
        assertEquals(2 * store.bytesPerSession(), Long.parseLong(metrics.render().lines()
                .filter(l -> l.startsWith("ballast_session_memory_bytes ")).findFirst().orElseThrow().split(" ")[1]));
    }

    static void feed(BatchScheduler scheduler, SessionStore.Session s, int[] ids, ServerMetrics metrics) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        scheduler.submit(new SimpleJob<>(TimeUnit.SECONDS.toNanos(60), () -> new FeedStream(s, ids, metrics), fs -> {
            fs.commit();
            f.complete(null);
        }, (reason, e) -> f.completeExceptionally(new IllegalStateException(reason.name()))));
        f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aFullQueueRefusesAndAJobPastItsDeadlineIsTimedOut() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        GenerationRequest longOne = new GenerationRequest("", 2000, SamplingOptions.DEFAULT, 1, List.of());
        try (BatchScheduler scheduler = new BatchScheduler(engine, 1, 1, 4, metrics)) {
            CompletableFuture<List<Generation>> running = submit(scheduler, engine, longOne, 1, metrics);
            for (int i = 0; i < 500 && scheduler.activeStreams() == 0; i++) {
                Thread.sleep(10);
            }
            // one stream at most: the next job waits in the queue (room for one), the one after is refused
            int size = engine.config().layers() * engine.config().hidden();
            CompletableFuture<BatchJob.Abort> timedOut = new CompletableFuture<>();
            scheduler.submit(new SimpleJob<>(TimeUnit.MILLISECONDS.toNanos(1),
                    () -> new FeedStream(new SessionStore.Session("x", size, true), new int[] {1, 2}, metrics),
                    f -> timedOut.complete(null), (reason, e) -> timedOut.complete(reason)));
            assertThrows(BatchScheduler.QueueFull.class, () -> submit(scheduler, engine, longOne, 1, metrics));
            assertEquals(BatchJob.Abort.TIMEOUT, timedOut.get(60, TimeUnit.SECONDS));
            assertEquals(2000, running.get(60, TimeUnit.SECONDS).get(0).tokens());
        }
        assertEquals(1, metrics.rejectedQueueFull.sum());
        assertEquals(1, metrics.timedOut.sum());
    }

    @Test
    void shutdownLetsRunningJobsFinishWithinTheGraceAndAbortsTheRest() throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        BatchScheduler scheduler = new BatchScheduler(engine, 4, 4, 4, metrics);
        CompletableFuture<List<Generation>> shortOne = submit(scheduler, engine,
                new GenerationRequest("To", 5, SamplingOptions.DEFAULT, 1, List.of()), 1, metrics);
        CompletableFuture<List<Generation>> endless = submit(scheduler, engine,
                new GenerationRequest("To", 1_000_000, SamplingOptions.DEFAULT, 1, List.of()), 1, metrics);
        Thread.sleep(200);
        scheduler.shutdown(300, 10_000);
        assertTrue(scheduler.stopped());
        assertEquals(5, shortOne.get(1, TimeUnit.SECONDS).get(0).tokens());
        Exception e = assertThrows(Exception.class, () -> endless.get(1, TimeUnit.SECONDS));
        assertEquals("SHUTDOWN", e.getCause().getMessage());
        assertThrows(BatchScheduler.Closed.class, () -> submit(scheduler, engine,
                new GenerationRequest("To", 5, SamplingOptions.DEFAULT, 1, List.of()), 1, metrics));
    }
}
