package dev.ballast.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ballast.lm.LanguageModelTask;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TinyCorpus;
import dev.ballast.lm.TrainingConfig;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.stability.StabilityState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that crashed right after a checkpoint and was resumed from it ends with the same files as a run
 * that never stopped: weights, trainer state and stability state, byte for byte.
 */
class ResumeExactStateTest {

    @TempDir
    Path tmp;

    /** Thrown from a listener to end a run the way a kill does: after a checkpoint, with nothing else saved. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    private TrainingConfig config() throws IOException {
        // A clip threshold the gradient norm is always far above, so the persistent-clipping rule's window
        // fills with "far" steps; window 8 fires it twice in 30 steps.
        return TrainingConfig.builder().corpus(TinyCorpus.write(tmp, 2000).toString()).layers(1).hidden(16).embed(8)
                .seq(8).batch(4).sampleLength(0).threads(1).seed(3).lr(0.01f).steps(30).evalEvery(5)
                .clipNorm(0.01).clipAlarmFactor(1.0).clipAlarmWindow(8).build();
    }

    private static Path lastCheckpoint(Path run) {
        return CheckpointStore.resolveResume(run);
    }

    @Test
    void aRunResumedAfterACrashEndsWithTheSameStabilityState() throws IOException {
        TrainingConfig config = config();
        Path straight = tmp.resolve("straight");
        LanguageModelTask.start(config, straight, null).run();

        for (long crashAt : new long[] {5, 10, 15}) {
            Path crashed = tmp.resolve("crashed-" + crashAt);
            TrainingListener crash = new TrainingListener() {
                @Override
                public void onCheckpoint(long step, Path dir) {
                    if (step == crashAt) {
                        throw new Crash();
                    }
                }
            };
            assertThrows(Crash.class, () -> LanguageModelTask.start(config, crashed, crash).run());
            assertEquals(30, LanguageModelTask.resume(crashed, c -> c, null, null).run().steps());

            Path a = lastCheckpoint(straight);
            Path b = lastCheckpoint(crashed);
            assertEquals(a.getFileName(), b.getFileName());
            assertEquals(Files.readString(a.resolve(StabilityState.FILE)), Files.readString(b.resolve(StabilityState.FILE)),
                    "stability-state.json after a crash at step " + crashAt);
            assertEquals(Files.readString(a.resolve(TrainingCheckpoint.STATE_JSON)),
                    Files.readString(b.resolve(TrainingCheckpoint.STATE_JSON)), "trainer-state.json, crash at " + crashAt);
            assertArrayEquals(Files.readAllBytes(a.resolve(TrainingCheckpoint.TENSORS)),
                    Files.readAllBytes(b.resolve(TrainingCheckpoint.TENSORS)), "resume.safetensors, crash at " + crashAt);
            assertArrayEquals(Files.readAllBytes(a.resolve(ModelFiles.WEIGHTS)), Files.readAllBytes(b.resolve(ModelFiles.WEIGHTS)),
                    "weights.safetensors, crash at " + crashAt);
        }
    }

    @Test
    void savingTheSameTrainerStateTwiceGivesTheSameBytes() throws IOException {
        Path run = tmp.resolve("run");
        LanguageModelTask.start(config().toBuilder().steps(6).build(), run, null).run();
        Path dir = lastCheckpoint(run);
        TrainingCheckpoint cp = TrainingCheckpoint.load(dir, 1, true);
        Path again = Files.createDirectory(tmp.resolve("again"));
        Path twice = Files.createDirectory(tmp.resolve("twice"));
        cp.save(again, "adam");
        TrainingCheckpoint.load(again, 1, true).save(twice, "adam");
        assertArrayEquals(Files.readAllBytes(dir.resolve(TrainingCheckpoint.TENSORS)),
                Files.readAllBytes(again.resolve(TrainingCheckpoint.TENSORS)));
        assertArrayEquals(Files.readAllBytes(again.resolve(TrainingCheckpoint.TENSORS)),
                Files.readAllBytes(twice.resolve(TrainingCheckpoint.TENSORS)));
        assertEquals(Files.readString(dir.resolve(TrainingCheckpoint.STATE_JSON)),
                Files.readString(twice.resolve(TrainingCheckpoint.STATE_JSON)));
    }
}
