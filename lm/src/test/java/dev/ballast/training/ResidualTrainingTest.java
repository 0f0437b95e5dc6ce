package dev.ballast.training;

import dev.ballast.lm.LanguageModelTask;

import dev.ballast.engine.InputException;
import dev.ballast.lm.TrainingConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --residual} through training, saving and loading. */
class ResidualTrainingTest {

    @TempDir
    Path tmp;

    @Test
    void residualModelTrainsSavesAndLoadsWithItsSkipConnections() throws IOException {
        Path corpus = tmp.resolve("c.txt");
        Files.writeString(corpus, "a stitch in time saves nine. ".repeat(60), StandardCharsets.UTF_8);
        TrainingConfig config = TrainingConfig.builder().corpus(corpus.toString()).layers(3).hidden(12).embed(6)
                .residual(true).seq(8).batch(4).steps(12).evalEvery(0).sampleLength(0).threads(1).build();
        Trainer<LanguageModelTask> t = LanguageModelTask.start(config, tmp.resolve("run"), null);
        Trainer.Result r = t.run();
        assertTrue(r.validation().loss() < Math.log(t.task().model().config().vocabSize()), "it learned something");
        assertTrue(t.task().model().config().residual());

        Path dir = CheckpointStore.resolveModel(tmp.resolve("run"));
        assertTrue(ModelFiles.readJson(dir.resolve(ModelFiles.MODEL_JSON)).at("/model/residual").asBoolean());
        TrainedModel loaded = ModelFiles.load(dir, KernelProvider.scalar());
        assertTrue(loaded.network().config().residual());
        assertTrue(loaded.training().residual());
        int[] x = {1, 2, 3, 1, 2, 3};
        int v = loaded.network().config().vocabSize();
        float[] a = new float[6 * v];
        float[] b = new float[6 * v];
        t.task().model().setKernels(KernelProvider.scalar()); // the same arithmetic on both sides: equal bit for bit
        t.task().model().logits(x, 3, 2, t.task().model().config().newState(2), a);
        loaded.network().logits(x, 3, 2, loaded.network().config().newState(2), b);
        assertArrayEquals(a, b);
    }

    @Test
    void residualNeedsTwoLayers() {
        InputException e = assertThrows(InputException.class,
                () -> TrainingConfig.builder().residual(true).layers(1).build());
        assertEquals("residual adds each layer's input to its output from layer 1 up, so it needs layers 2 or more, got 1",
                e.getMessage());
    }
}
