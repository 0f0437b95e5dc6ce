package dev.ballast.training.checkpoint;

import dev.ballast.engine.io.CheckpointException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a path given on the command line becomes a model or resume directory. */
class CheckpointResolveTest {

    @TempDir
    Path tmp;

    /** A run whose best checkpoint is step 2 and latest is step 3. */
    private Path runWithBestAndLatest() throws IOException {
        Path run = tmp.resolve("run");
        CheckpointStore store = new CheckpointStore(run);
        commit(store, 2, true);
        commit(store, 3, false);
        return run;
    }

    private static Path commit(CheckpointStore store, long step, boolean best) throws IOException {
        Path staged = store.stage(step);
        Files.writeString(staged.resolve("model.json"), "{}");
        return store.commit(staged, step, best, 1.0 / step);
    }

    @Test
    void modelDirectoryResolvesToItself() throws IOException {
        Path run = runWithBestAndLatest();
        Path checkpoint = run.resolve("checkpoints/step-00000003");

        assertEquals(checkpoint, CheckpointStore.resolveModel(checkpoint));
        assertEquals(checkpoint, CheckpointStore.resolveResume(checkpoint));
    }

    @Test
    void runDirectoryResolvesModelToBestAndResumeToLatest() throws IOException {
        Path run = runWithBestAndLatest();

        assertEquals(run.resolve("checkpoints/step-00000002"), CheckpointStore.resolveModel(run));
        assertEquals(run.resolve("checkpoints/step-00000003"), CheckpointStore.resolveResume(run));
    }

    @Test
    void runWithoutBestResolvesModelToLatest() throws IOException {
        Path run = tmp.resolve("run");
        commit(new CheckpointStore(run), 5, false);

        assertEquals(run.resolve("checkpoints/step-00000005"), CheckpointStore.resolveModel(run));
    }

    @Test
    void runWithOnlyBestResumesFromBest() throws IOException {
        Path run = runWithBestAndLatest();
        Files.delete(run.resolve("latest.json"));

        assertEquals(run.resolve("checkpoints/step-00000002"), CheckpointStore.resolveResume(run));
    }

    @Test
    void pointerToMissingDirectoryIsReported() throws IOException {
        Path run = runWithBestAndLatest();
        CheckpointStore.deleteRecursively(run.resolve("checkpoints/step-00000002"));

        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.resolveModel(run));

        assertEquals(run.resolve("best.json") + " points to checkpoints/step-00000002 which does not exist", e.getMessage());
    }

    @Test
    void directoryWithoutModelOrPointersIsRejected() throws IOException {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path file = Files.writeString(tmp.resolve("weights.safetensors"), "x");

        for (Path path : new Path[] {empty, file}) {
            CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.resolveModel(path));
            assertEquals(path + " is not a Ballast model directory (no model.json, best.json or latest.json)", e.getMessage());
        }
    }

    @Test
    void missingPathIsReported() {
        Path missing = tmp.resolve("nowhere");

        CheckpointException model = assertThrows(CheckpointException.class, () -> CheckpointStore.resolveModel(missing));
        CheckpointException resume = assertThrows(CheckpointException.class, () -> CheckpointStore.resolveResume(missing));

        assertEquals("model not found: " + missing, model.getMessage());
        assertEquals("model not found: " + missing, resume.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json",
            "[]",
            "{\"format\": \"other\", \"version\": 1, \"checkpoint\": \"checkpoints/step-00000002\", \"step\": 2}",
            "{\"format\": \"ballast-pointer\", \"version\": 2, \"checkpoint\": \"checkpoints/step-00000002\", \"step\": 2}",
            "{\"format\": \"ballast-pointer\", \"version\": 1, \"step\": 2}",
            "{\"format\": \"ballast-pointer\", \"version\": 1, \"checkpoint\": \"../elsewhere\", \"step\": 2}",
            "{\"format\": \"ballast-pointer\", \"version\": 1, \"checkpoint\": \"checkpoints/step-00000002\", \"step\": -2}",
            "{\"format\": \"ballast-pointer\", \"version\": 1, \"checkpoint\": \"checkpoints/step-00000002\", \"step\": 2,"
                    + " \"val_loss\": \"low\"}"})
    void corruptPointerFileIsReportedByName(String content) throws IOException {
        Path run = runWithBestAndLatest();
        Path best = run.resolve("best.json");
        Files.writeString(best, content);

        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.resolveModel(run));

        assertTrue(e.getMessage().startsWith(best.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void newerPointerVersionAsksForANewerBallast() throws IOException {
        Path run = runWithBestAndLatest();
        Path latest = run.resolve("latest.json");
        Files.writeString(latest, "{\"format\": \"ballast-pointer\", \"version\": 2,"
                + " \"checkpoint\": \"checkpoints/step-00000003\", \"step\": 3, \"shards\": 4}");

        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointStore.resolveResume(run));

        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("newer Ballast"), e.getMessage());
    }
}
