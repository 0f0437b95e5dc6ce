package dev.ballast.training;

import dev.ballast.engine.optim.ClipMode;

import dev.ballast.engine.nn.CellType;

import dev.ballast.engine.optim.OptimizerKind;

import dev.ballast.lm.LanguageModelTask;

import dev.ballast.lm.TinyCorpus;
import dev.ballast.lm.TrainingConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.lm.ModelFiles;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.training.stability.NonFinite;
import dev.ballast.training.stability.StabilityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stability guard inside the real training loop, with faults injected through a listener. */
class TrainerRecoveryTest {

    @TempDir
    Path tmp;

    private TrainingConfig.Builder small() throws IOException {
        return TinyCorpus.faultTestConfig(tmp);
    }

    /** Once, after step {@code at}, does something to the weights (as a bug or a bad batch would). */
    private static TrainingListener inject(long at, Trainer<LanguageModelTask>[] t, java.util.function.Consumer<List<Parameter>> fault,
                                           List<String> incidents) {
        return new TrainingListener() {
            boolean done;

            @Override
            public void onStep(StepReport r) {
                if (r.step() == at && !done) {
                    done = true;
                    fault.accept(t[0].task().model().parameters());
                }
            }

            @Override
            public void onIncident(long step, String message) {
                incidents.add(step + ": " + message);
            }
        };
    }

    private static void poison(List<Parameter> params) {
        params.get(2).value()[0] = Float.NaN; // layers.0.w_recurrent
    }

    @Test
    void poisonedWeightsAreRolledBackAndTheRunFinishes() throws IOException {
        Trainer<LanguageModelTask>[] t = new Trainer[1];
        List<String> seen = new ArrayList<>();
        Path run = tmp.resolve("run");
        t[0] = LanguageModelTask.start(small().steps(30).build(), run, inject(15, t, TrainerRecoveryTest::poison, seen));
        Trainer.Result r = t[0].run();
        assertEquals(30, r.steps());
        assertTrue(Double.isFinite(r.trainLoss()));
        assertEquals(null, NonFinite.firstInWeights(t[0].task().model().parameters()));
        // Step 16's forward sees the NaN: skipped twice, then rolled back to the snapshot of step 10.
        assertEquals(3, seen.size(), seen.toString());
        assertTrue(seen.get(0).startsWith("16: the loss became non-finite"), seen.get(0));
        assertTrue(seen.get(2).contains("rolled back to step 10"), seen.get(2));
        JsonNode summary = t[0].stabilitySummary();
        assertEquals(1, summary.get("rollbacks").asInt());
        assertEquals(3, summary.get("nonfinite_steps").asInt());

        JsonNode report = ModelFiles.readJson(run.resolve(StabilityReport.FILE));
        assertEquals("ballast-stability", report.get("format").asText());
        assertEquals(3, report.get("incidents").size());
        JsonNode first = report.get("incidents").get(0);
        assertEquals(16, first.get("step").asLong());
        assertEquals(4, first.get("token_ranges").size(), "one range per stream");
        assertEquals(9, first.get("token_ranges").get(0).get(1).asLong() - first.get("token_ranges").get(0).get(0).asLong());
        assertTrue(report.get("findings").size() >= 3);
        assertTrue(Files.exists(run.resolve(StabilityReport.QUARANTINE)));
        assertTrue(Files.readString(run.resolve(StabilityReport.HTML)).contains("<svg"));
        // The saved model carries the summary.
        JsonNode model = ModelFiles.readJson(dev.ballast.training.checkpoint.CheckpointStore.resolveModel(run).resolve(ModelFiles.MODEL_JSON));
        assertEquals(1, model.findValue("stability").get("rollbacks").asInt());
    }

    @Test
    void withRecoveryOffThePoisonedRunFails() throws IOException {
        Trainer<LanguageModelTask>[] t = new Trainer[1];
        t[0] = LanguageModelTask.start(small().steps(30).recovery(Recovery.OFF).build(), tmp.resolve("off"),
                inject(15, t, TrainerRecoveryTest::poison, new ArrayList<>()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t[0]::run);
        assertTrue(e.getMessage().startsWith("training diverged at step 16: the loss became NaN"), e.getMessage());
    }

    @Test
    void lossSpikeIsSkippedThenRolledBack() throws IOException {
        Trainer<LanguageModelTask>[] t = new Trainer[1];
        List<String> seen = new ArrayList<>();
        // Output weights x40 after step 20: the loss jumps far above its moving average without becoming NaN.
        t[0] = LanguageModelTask.start(small().steps(30).build(), tmp.resolve("spike"), inject(20, t, ps -> {
            float[] w = ps.get(ps.size() - 2).value();
            for (int i = 0; i < w.length; i++) {
                w[i] *= 40;
            }
        }, seen));
        assertEquals(30, t[0].run().steps());
        assertTrue(seen.get(0).startsWith("21: the loss spiked"), seen.toString());
        // The snapshot of step 20 came right before the incident, so it is passed over (it could hold the
        // damaging update): the rollback goes to step 10.
        assertTrue(seen.get(2).contains("rolled back to step 10"), seen.toString());
        assertEquals(0, t[0].stabilitySummary().get("nonfinite_steps").asInt());
    }

    @Test
    void recoveryTurnsADivergingRunIntoOneThatFinishes() throws IOException {
        // Vanilla ReLU RNN, SGD with a huge rate and no clipping diverges; the guard halves the rate until it holds.
        TrainingConfig.Builder b = small().cell(CellType.RNN_RELU).optimizer(OptimizerKind.SGD).lr(30f).clip(ClipMode.NONE).steps(40);
        assertThrows(TrainingDivergedException.class,
                () -> LanguageModelTask.start(b.recovery(Recovery.OFF).build(), tmp.resolve("a"), null).run());
        Trainer<LanguageModelTask> t = LanguageModelTask.start(b.recovery(Recovery.ON).build(), tmp.resolve("b"), null);
        Trainer.Result r = t.run();
        assertEquals(40, r.steps());
        assertTrue(Double.isFinite(r.trainLoss()));
        assertTrue(t.stabilitySummary().get("rollbacks").asInt() >= 1);
    }

    @Test
    void diagnosticsDoNotChangeTraining() throws IOException {
        TrainingConfig.Builder b = small().dropout(0.1f).steps(12);
        Trainer<LanguageModelTask> with = LanguageModelTask.start(b.diagnoseEvery(1).build(), tmp.resolve("with"), null);
        with.run();
        Trainer<LanguageModelTask> without = LanguageModelTask.start(b.diagnoseEvery(0).build(), tmp.resolve("without"), null);
        without.run();
        for (int i = 0; i < with.task().model().parameters().size(); i++) {
            assertArrayEquals(without.task().model().parameters().get(i).value(), with.task().model().parameters().get(i).value());
        }
        JsonNode report = ModelFiles.readJson(tmp.resolve("with").resolve(StabilityReport.FILE));
        assertEquals(12, report.get("diagnostics").size());
        assertEquals(8, report.get("diagnostics").get(0).get("reach_back").get(0).size(), "one value per step back");
        assertEquals(4, report.get("diagnostics").get(3).get("gate_grad_norm").get(0).size(), "i, f, g, o");
    }

    @Test
    void theClipperAfterARollbackMeasuresOnTheModelsKernels() throws IOException {
        // The rollback rebuilds the clipper with a tighter threshold; it must keep the model's (vector) kernels,
        // not fall back to the scalar reference for the rest of the run.
        Trainer<LanguageModelTask>[] t = new Trainer[1];
        t[0] = LanguageModelTask.start(small().steps(8).build(), tmp.resolve("kernels"),
                inject(3, t, TrainerRecoveryTest::poison, new ArrayList<>()));
        t[0].run();
        assertEquals(1, t[0].stabilitySummary().get("rollbacks").asInt());
        assertSame(t[0].task().kernels(), t[0].clipper().kernels());
    }

    @Test
    void resumeAfterARollbackContinuesExactly() throws IOException {
        // A rollback at step 4 changes the learning-rate scale, the quarantine and the spike average; all of it
        // is checkpointed, so stopping at 7 and resuming gives the straight run's weights bit for bit.
        TrainingConfig config = small().steps(14).evalEvery(5).build();
        Trainer<LanguageModelTask>[] a = new Trainer[1];
        a[0] = LanguageModelTask.start(config, tmp.resolve("straight"), inject(3, a, TrainerRecoveryTest::poison, new ArrayList<>()));
        a[0].run();
        assertEquals(1, a[0].stabilitySummary().get("rollbacks").asInt());

        Trainer<LanguageModelTask>[] b = new Trainer[1];
        TrainingListener fault = inject(3, b, TrainerRecoveryTest::poison, new ArrayList<>());
        b[0] = LanguageModelTask.start(config, tmp.resolve("split"), new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                fault.onStep(r);
                if (r.step() == 7) {
                    b[0].requestStop();
                }
            }
        });
        assertTrue(b[0].run().stopped());
        Trainer<LanguageModelTask> resumed = LanguageModelTask.resume(tmp.resolve("split"), c -> c, null, null);
        assertEquals(14, resumed.run().steps());
        assertEquals(1, resumed.stabilitySummary().get("rollbacks").asInt(), "counters survive the resume");
        for (int i = 0; i < a[0].task().model().parameters().size(); i++) {
            assertArrayEquals(a[0].task().model().parameters().get(i).value(), resumed.task().model().parameters().get(i).value(),
                    a[0].task().model().parameters().get(i).name());
        }
    }
}
