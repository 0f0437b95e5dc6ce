package dev.ballast.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.Batches;
import dev.ballast.engine.Rng;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.lm.LanguageModelTask;
import dev.ballast.lm.TinyCorpus;
import dev.ballast.lm.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint write that fails leaves no {@code .staging-*} directory behind. */
class CheckpointFailureTest {

    @TempDir
    Path tmp;

    @Test
    void aFailedCheckpointWriteRemovesItsStagingDirectory() throws IOException {
        TrainingConfig config = TinyCorpus.faultTestConfig(tmp).steps(4).evalEvery(2).build();
        LanguageModelTask real = LanguageModelTask.start(config, tmp.resolve("unused"), null).task();
        Path run = tmp.resolve("run");
        Trainer<FailingSave> trainer = new Trainer<>(config.trainerSettings(real.batches().windowsPerEpoch()),
                new FailingSave(real), run, null);

        CheckpointException e = assertThrows(CheckpointException.class, trainer::run);
        assertTrue(e.getMessage().contains("injected"), e.getMessage());
        try (Stream<Path> entries = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of(), entries.toList(), "nothing may stay in checkpoints/ after a failed write");
        }
    }

    /** The language model's task, except that saving the model fails half-way (after a file was written). */
    private record FailingSave(LanguageModelTask task) implements TrainingTask {
        @Override
        public void saveModel(Path dir, ObjectNode metrics) {
            task.saveModel(dir, metrics);
            throw new CheckpointException("could not write " + dir + ": injected failure");
        }

        @Override public String kind() { return task.kind(); }
        @Override public List<Parameter> parameters() { return task.parameters(); }
        @Override public List<RecurrentLayer> recurrentLayers() { return task.recurrentLayers(); }
        @Override public Kernels kernels() { return task.kernels(); }
        @Override public Batches batches() { return task.batches(); }
        @Override public RecurrentState state() { return task.state(); }
        @Override public void nextBatch() { task.nextBatch(); }
        @Override public float forward(boolean training, Rng dropout) { return task.forward(training, dropout); }
        @Override public void zeroGrad() { task.zeroGrad(); }
        @Override public void backward() { task.backward(); }
        @Override public float[][] reachBack(long step, Runnable afterForward) { return task.reachBack(step, afterForward); }
        @Override public Validation validate() { return task.validate(); }
        @Override public String sample(long step) { return task.sample(step); }
        @Override public int outputs() { return task.outputs(); }
    }
}
