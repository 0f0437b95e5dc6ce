package dev.ballast.training.checkpoint;

import dev.ballast.engine.io.CheckpointException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path run;

    @Test
    void commitRenamesStagedDirectoryAndPointsLatestAtIt() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        Path staged = store.stage(600);
        assertTrue(staged.getFileName().toString().startsWith(".staging-step-00000600-"), staged.toString());
        Files.writeString(staged.resolve("model.json"), "{}");

        Path committed = store.commit(staged, 600, false, 1.71);

        assertEquals(run.resolve("checkpoints/step-00000600"), committed);
        assertEquals("{}", Files.readString(committed.resolve("model.json")));
        assertFalse(Files.exists(staged));
        assertEquals(Optional.of(committed), store.latest());
        assertEquals(Optional.empty(), store.best());
        JsonNode pointer = Json.MAPPER.readTree(run.resolve("latest.json").toFile());
        assertEquals("ballast-pointer", pointer.get("format").asText());
        assertEquals(1, pointer.get("version").asInt());
        assertEquals("checkpoints/step-00000600", pointer.get("checkpoint").asText());
        assertEquals(600, pointer.get("step").asLong());
        assertEquals(1.71, pointer.get("val_loss").asDouble());
    }

    @Test
    void unknownValidationLossIsLeftOutOfThePointer() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        store.commit(store.stage(1), 1, true, Double.NaN);

        JsonNode pointer = Json.MAPPER.readTree(run.resolve("best.json").toFile());
        assertFalse(pointer.has("val_loss"));
        assertEquals(OptionalDouble.empty(), store.bestValLoss());
        assertEquals(store.latest(), store.best());
    }

    @Test
    void pruningKeepsBestLatestAndPreviousLatest() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        double[] valLoss = {3.0, 1.5, 2.0, 2.5, 2.2}; // step 2 is the best
        for (int step = 1; step <= 5; step++) {
            store.commit(store.stage(step), step, step == 2 || step == 1, valLoss[step - 1]);
        }

        assertEquals(List.of("step-00000002", "step-00000004", "step-00000005"), checkpointNames());
        assertEquals(Optional.of(run.resolve("checkpoints/step-00000005")), store.latest());
        assertEquals(Optional.of(run.resolve("checkpoints/step-00000002")), store.best());
        assertEquals(OptionalDouble.of(1.5), store.bestValLoss());
    }

    @Test
    void recommittingTheSameStepReplacesTheOldDirectory() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        Path first = store.stage(3);
        Files.writeString(first.resolve("weights"), "old");
        store.commit(first, 3, true, 2.0);

        Path again = store.stage(3);
        Files.writeString(again.resolve("weights"), "new");
        Path committed = store.commit(again, 3, false, 1.9);

        assertEquals("new", Files.readString(committed.resolve("weights")));
        assertEquals(List.of("step-00000003"), checkpointNames());
        assertEquals(Optional.of(committed), store.latest());
        assertEquals(Optional.of(committed), store.best());
        assertEquals(List.of("step-00000003"), allEntries(run.resolve("checkpoints")), "nothing moved aside is left");
    }

    @Test
    void crashWhileStagingKeepsThePreviousCheckpointAndIsCleanedUp() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        Path kept = store.commit(store.stage(1), 1, false, 2.0);
        Path crashed = store.stage(2);
        Files.writeString(crashed.resolve("half-written"), "...");

        assertEquals(Optional.of(kept), store.latest());
        CheckpointStore reopened = new CheckpointStore(run);

        assertFalse(Files.exists(crashed));
        assertEquals(List.of("step-00000001"), allEntries(run.resolve("checkpoints")));
        assertEquals(Optional.of(kept), reopened.latest());
        assertEquals(Optional.of(kept), Optional.of(CheckpointStore.resolveResume(run)));
    }

    @Test
    void crashAfterMovingAnOldDirectoryAsideRestoresIt() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        Path committed = store.commit(store.stage(3), 3, false, 2.0);
        Files.writeString(committed.resolve("weights"), "old");
        // A re-commit of step 3 moved the old directory aside and crashed before renaming the new one in.
        Files.move(committed, run.resolve("checkpoints/.replaced-step-00000003-abc123"));

        CheckpointStore reopened = new CheckpointStore(run);

        assertEquals(Optional.of(committed), reopened.latest());
        assertEquals("old", Files.readString(committed.resolve("weights")));
        assertEquals(List.of("step-00000003"), allEntries(run.resolve("checkpoints")));
    }

    @Test
    void leftoverPointerTemporaryFileIsRemoved() throws IOException {
        new CheckpointStore(run);
        Path leftover = Files.writeString(run.resolve(".latest.json.tmp-0123abcd"), "{\"form");

        new CheckpointStore(run);

        assertFalse(Files.exists(leftover));
    }

    @Test
    void newRunHasNoCheckpoints() {
        CheckpointStore store = new CheckpointStore(run.resolve("fresh"));

        assertTrue(Files.isDirectory(run.resolve("fresh/checkpoints")));
        assertEquals(Optional.empty(), store.latest());
        assertEquals(Optional.empty(), store.best());
        assertEquals(OptionalDouble.empty(), store.bestValLoss());
        assertEquals(run.resolve("fresh"), store.runDir());
    }

    @Test
    void commitAcceptsOnlyItsOwnStagingDirectories() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        Path elsewhere = Files.createDirectory(run.resolve("elsewhere"));

        assertThrows(IllegalArgumentException.class, () -> store.commit(elsewhere, 1, false, 1.0));
        assertThrows(IllegalArgumentException.class, () -> store.stage(-1));
    }

    @Test
    void corruptLatestPointerIsReportedByName() throws IOException {
        CheckpointStore store = new CheckpointStore(run);
        Files.writeString(run.resolve("latest.json"), "{\"format\": \"ballast-pointer\", \"version\": 1");

        CheckpointException e = assertThrows(CheckpointException.class, store::latest);

        assertTrue(e.getMessage().contains(run.resolve("latest.json").toString()), e.getMessage());
    }

    private List<String> checkpointNames() throws IOException {
        return allEntries(run.resolve("checkpoints")).stream().filter(n -> n.startsWith("step-")).toList();
    }

    private static List<String> allEntries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
