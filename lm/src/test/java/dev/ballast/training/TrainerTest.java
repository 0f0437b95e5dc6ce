package dev.ballast.training;

import dev.ballast.engine.optim.ClipMode;

import dev.ballast.engine.nn.CellType;

import dev.ballast.engine.optim.OptimizerKind;

import dev.ballast.lm.LanguageModelTask;

import dev.ballast.lm.TinyCorpus;
import dev.ballast.lm.TrainingConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerTest {

    @TempDir
    Path tmp;

    /** A corpus small enough that 12 steps of 4 streams × 8 steps wrap around an epoch. */
    private Path tinyCorpus() throws IOException {
        return TinyCorpus.write(tmp, 420);
    }

    private TrainingConfig.Builder small(Path corpus) {
        return TrainingConfig.builder().corpus(corpus.toString()).layers(2).hidden(12).embed(6)
                .seq(8).batch(4).evalEvery(5).sampleLength(0).threads(1).seed(7);
    }

    /** Stops a run after a given step, as Ctrl-C does. */
    private static TrainingListener stopAt(long step, Trainer[] trainer) {
        return new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                if (r.step() == step) {
                    trainer[0].requestStop();
                }
            }
        };
    }

    @ParameterizedTest
    @CsvSource({"lstm, adam, 0.1, constant", "rnn-tanh, sgd, 0.0, step:4:0.5", "rnn-relu, rmsprop, 0.2, cosine:3",
        "lstm, adamw, 0.0, plateau:0.5:1", "lstm, adagrad, 0.0, constant"})
    void resumeContinuesExactly(String cell, String optimizer, float dropout, String schedule) throws IOException {
        // 12 steps straight, against 12 steps interrupted after 7 and resumed: the same weights, bit for bit.
        // The tiny corpus wraps an epoch after 11 windows, so the data cursor and state reset are covered too.
        TrainingConfig config = small(tinyCorpus()).cell(CellType.parse(cell)).optimizer(OptimizerKind.parse(optimizer)).dropout(dropout).lrSchedule(schedule)
                .lr(optimizer.equals("sgd") ? 0.1f : 0.01f).momentum(optimizer.equals("sgd") ? 0.9 : 0.0)
                .steps(12).build();
        Path straight = tmp.resolve("straight");
        LanguageModelTask.start(config, straight, null).run();

        Path split = tmp.resolve("split");
        Trainer<LanguageModelTask>[] first = new Trainer[1];
        first[0] = LanguageModelTask.start(config, split, stopAt(7, first));
        Trainer.Result stopped = first[0].run();
        assertTrue(stopped.stopped());
        assertEquals(7, stopped.steps());
        Trainer.Result r = LanguageModelTask.resume(split, c -> c, null, null).run();
        assertEquals(12, r.steps());
        assertSameWeights(straight, split);
    }

    @Test
    void resumeCanExtendARun() throws IOException {
        // N steps straight equals K steps, then resume with --steps N.
        TrainingConfig.Builder base = small(tinyCorpus()).dropout(0.1f);
        Path straight = tmp.resolve("straight");
        LanguageModelTask.start(base.steps(12).build(), straight, null).run();
        Path split = tmp.resolve("split");
        assertEquals(7, LanguageModelTask.start(base.steps(7).build(), split, null).run().steps());
        assertEquals(12, LanguageModelTask.resume(split, c -> c.toBuilder().steps(12).build(), null, null).run().steps());
        assertSameWeights(straight, split);
    }

    private static void assertSameWeights(Path runA, Path runB) {
        List<Parameter> a = load(CheckpointStore.resolveResume(runA)).network().parameters();
        List<Parameter> b = load(CheckpointStore.resolveResume(runB)).network().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value(), b.get(i).value(), a.get(i).name() + " differs after resume");
        }
    }

    @Test
    void trainingLowersTheLossAndKeepsTheBestModel() throws IOException {
        Path run = tmp.resolve("run");
        Trainer.Result r = LanguageModelTask.start(small(tinyCorpus()).hidden(32).steps(80).evalEvery(20).lr(0.02f).build(), run, null).run();
        TrainedModel best = load(CheckpointStore.resolveModel(run));
        double bestLoss = best.metrics().get("val_loss").asDouble();
        assertTrue(bestLoss <= r.validation().loss() + 1e-9, "best.json must point at the lowest validation loss");
        // Loss at initialisation is about ln(V); 60 steps on a repetitive text must get well below it.
        double lnV = Math.log(best.network().config().vocabSize());
        assertTrue(r.validation().loss() < lnV - 0.5, "validation loss " + r.validation().loss() + " vs ln V " + lnV);
    }

    @Test
    void savedModelGivesTheSameLogits() throws IOException {
        Path run = tmp.resolve("run");
        Trainer<LanguageModelTask> trainer = LanguageModelTask.start(small(tinyCorpus()).steps(3).build(), run, null);
        trainer.run();
        // Same kernels as training (threads 1), so the comparison can be exact.
        TrainedModel loaded = ModelFiles.load(CheckpointStore.resolveModel(run), KernelProvider.best(1));
        int[] x = loaded.tokenizer().encode("the quick");
        int v = loaded.network().config().vocabSize();
        float[] expected = new float[x.length * v];
        float[] actual = new float[x.length * v];
        trainer.task().model().logits(x, x.length, 1, trainer.task().model().config().newState(1), expected);
        loaded.network().logits(x, x.length, 1, loaded.network().config().newState(1), actual);
        assertArrayEquals(expected, actual);
    }

    @Test
    void divergenceIsReportedWithTheStep() throws IOException {
        // Vanilla ReLU RNN, huge learning rate, no clipping: the loss must blow up and be caught.
        TrainingConfig cfg = small(tinyCorpus()).cell(CellType.RNN_RELU).optimizer(OptimizerKind.SGD).lr(1e4f).clip(ClipMode.NONE)
                .steps(50).evalEvery(0).build();
        Trainer<LanguageModelTask> trainer = LanguageModelTask.start(cfg, tmp.resolve("boom"), null);
        TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class, trainer::run);
        assertTrue(e.getMessage().startsWith("training diverged at step "), e.getMessage());
    }

    private static TrainedModel load(Path dir) {
        return ModelFiles.load(dir, KernelProvider.scalar());
    }
}
