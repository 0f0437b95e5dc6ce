package dev.ballast.cli;

import static dev.ballast.cli.CliRun.ballast;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.training.checkpoint.CheckpointStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is lost: a new run never replaces an old one unasked, and export never overwrites its model. */
class RunProtectionCliTest {

    @TempDir
    Path tmp;
    Path corpus;
    Path savedRoot;

    @BeforeEach
    void setUp() throws IOException {
        corpus = tmp.resolve("corpus.txt");
        Files.writeString(corpus, "To be, or not to be, that is the question.\n".repeat(30), StandardCharsets.UTF_8);
        savedRoot = DefaultRuns.root;
        DefaultRuns.root = tmp.resolve("runs");
    }

    @AfterEach
    void tearDown() {
        DefaultRuns.root = savedRoot;
    }

    /** A tiny training run; --corpus and --steps (4) unless {@code more} gives them. */
    private List<String> tiny(String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--layers", "1", "--hidden", "8",
                "--embed", "4", "--seq", "8", "--batch", "2", "--eval-every", "2", "--sample-length", "0",
                "--threads", "1"));
        List<String> given = List.of(more);
        if (!given.contains("--corpus")) {
            args.addAll(List.of("--corpus", corpus.toString()));
        }
        if (!given.contains("--steps")) {
            args.addAll(List.of("--steps", "4"));
        }
        args.addAll(given);
        return args;
    }

    private static CliRun run(List<String> args) {
        return ballast(args.toArray(String[]::new));
    }

    private static void assertOneLine(CliRun r, int code, String... substrings) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String s : substrings) {
            assertTrue(r.err().contains(s), "'" + s + "' not in: " + r.err());
        }
    }

    @Test
    void trainingTwiceWithoutOutKeepsBothRunsAndLinksTheNewest() throws IOException {
        CliRun first = run(tiny("--seed", "1"));
        assertEquals(0, first.code(), first.err());
        CliRun second = run(tiny("--seed", "2"));
        assertEquals(0, second.code(), second.err());

        Path runs = DefaultRuns.root;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(runs)) {
            dirs = s.filter(p -> !p.getFileName().toString().equals("latest")).sorted().toList();
        }
        assertEquals(2, dirs.size(), "two runs must be kept: " + dirs);
        for (Path d : dirs) {
            assertTrue(Files.isRegularFile(d.resolve("latest.json")), d + " lost its checkpoints");
        }
        Path latest = runs.resolve("latest");
        assertTrue(Files.isSymbolicLink(latest), "runs/latest is a link");
        assertTrue(Files.isSameFile(latest, dirs.get(1)), "runs/latest names the newest run");

        CliRun eval = ballast("eval", "--model", latest.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        CliRun resumed = ballast("train", "--resume", latest.toString(), "--steps", "6");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(Files.isDirectory(dirs.get(1).resolve("checkpoints/step-00000006")), "resumed into the linked run");
    }

    @Test
    void aPointerFileWorksWhereSymbolicLinksDoNot() throws IOException {
        Path runA = tmp.resolve("runs").resolve("20260101-000000");
        assertEquals(0, run(tiny("--out", runA.toString())).code());
        Path pointer = tmp.resolve("runs").resolve("latest");
        Files.writeString(pointer, "{\"format\": \"ballast-run-link\", \"version\": 1, \"run\": \"20260101-000000\"}\n");
        CliRun eval = ballast("eval", "--model", pointer.toString(), "--json");
        assertEquals(0, eval.code(), eval.err());
        CliRun gen = ballast("generate", "--model", pointer.toString(), "--length", "5", "--seed", "1");
        assertEquals(0, gen.code(), gen.err());
        CliRun resumed = ballast("train", "--resume", pointer.toString(), "--steps", "6");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(Files.isDirectory(runA.resolve("checkpoints/step-00000006")));
        assertTrue(CheckpointStore.resolveModel(pointer).startsWith(runA));

        // A new default run replaces the pointer file with a link (or a new pointer file) to itself.
        assertEquals(0, run(tiny()).code());
        assertFalse(CheckpointStore.resolveModel(pointer).startsWith(runA));
        assertTrue(Files.isDirectory(runA.resolve("checkpoints")), "the earlier run is kept");
    }

    @Test
    void anOldRunsLatestDirectoryIsMovedAsideNotLost() throws IOException {
        Path legacy = tmp.resolve("runs").resolve("latest");
        assertEquals(0, run(tiny("--out", legacy.toString())).code());
        Map<String, String> before = Trees.snapshot(legacy);
        CliRun r = run(tiny());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("moved the earlier run in"), r.err());
        assertTrue(Files.isSymbolicLink(legacy));
        try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
            List<Path> moved = s.filter(p -> p.getFileName().toString().startsWith("latest-")).toList();
            assertEquals(1, moved.size());
            assertEquals(before.keySet(), Trees.snapshot(moved.get(0)).keySet());
        }
    }

    @Test
    void trainingIntoAnExistingRunIsRefusedAndChangesNothing() {
        Path runA = tmp.resolve("a");
        assertEquals(0, run(tiny("--out", runA.toString())).code());
        Map<String, String> before = Trees.snapshot(runA);

        CliRun again = run(tiny("--out", runA.toString(), "--steps", "8"));
        assertOneLine(again, 2, "already holds a run", "--resume " + runA, "--overwrite");
        assertEquals(before, Trees.snapshot(runA));

        // --overwrite with input that fails puts the old run back.
        CliRun bad = run(tiny("--out", runA.toString(), "--overwrite", "--corpus", tmp.resolve("missing.txt").toString()));
        assertEquals(2, bad.code(), bad.err());
        assertEquals(before, Trees.snapshot(runA));

        // A file is no run directory.
        Path file = tmp.resolve("file.txt");
        CliRun onFile = run(tiny("--out", corpus.toString()));
        assertOneLine(onFile, 2, "is a file");
        assertFalse(Files.exists(file));
    }

    @Test
    void overwriteReplacesTheOldRunOnceTheNewOneStarted() throws IOException {
        Path runA = tmp.resolve("a");
        Files.createDirectories(runA);
        Files.writeString(runA.resolve("notes.txt"), "mine");
        assertEquals(0, run(tiny("--out", runA.toString(), "--steps", "6")).code());
        CliRun r = run(tiny("--out", runA.toString(), "--overwrite"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("replaced the earlier run"), r.err());
        assertFalse(Files.exists(runA.resolve("checkpoints/step-00000006")), "the old run's checkpoints are gone");
        assertTrue(Files.isDirectory(runA.resolve("checkpoints/step-00000004")));
        assertEquals("mine", Files.readString(runA.resolve("notes.txt")), "files that are not the run's stay");
        try (Stream<Path> s = Files.list(runA)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".replaced-")));
        }
    }

    @Test
    void forecastIntoAnExistingRunIsRefusedAndDefaultsToAFreshDirectory() throws IOException {
        String[] small = {"forecast", "--steps", "10", "--hidden", "4"};
        CliRun first = ballast(small);
        assertEquals(0, first.code(), first.err());
        CliRun second = ballast(small);
        assertEquals(0, second.code(), second.err());
        Path link = DefaultRuns.root.resolve("forecast");
        assertTrue(Files.isSymbolicLink(link));
        try (Stream<Path> s = Files.list(DefaultRuns.root)) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().startsWith("forecast-")).count());
        }
        Path target = link.toRealPath();
        Map<String, String> before = Trees.snapshot(target);
        CliRun refused = ballast("forecast", "--steps", "10", "--hidden", "4", "--out", link.toString());
        assertOneLine(refused, 2, "already holds a run", "--resume", "--overwrite");
        assertEquals(before, Trees.snapshot(target));
        CliRun replaced = ballast("forecast", "--steps", "12", "--hidden", "4", "--out", target.toString(), "--overwrite");
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(Files.isDirectory(target.resolve("checkpoints/step-00000012")));
        assertFalse(Files.exists(target.resolve("checkpoints/step-00000010")));
    }

    @Test
    void exportRefusesAnExistingFileWithoutOverwriteAndTheModelsOwnFilesAlways() throws IOException {
        Path runA = tmp.resolve("a");
        assertEquals(0, run(tiny("--out", runA.toString())).code());
        Path best = CheckpointStore.resolveModel(runA);
        Path weights = best.resolve("weights.safetensors");
        byte[] weightsBefore = Files.readAllBytes(weights);
        Map<String, String> before = Trees.snapshot(runA);

        Path onnx = tmp.resolve("m.onnx");
        Files.writeString(onnx, "keep me");
        CliRun exists = ballast("export", "--model", runA.toString(), "--out", onnx.toString());
        assertOneLine(exists, 2, "already exists", "--overwrite");
        assertEquals("keep me", Files.readString(onnx));
        CliRun replaced = ballast("export", "--model", runA.toString(), "--out", onnx.toString(), "--overwrite");
        assertEquals(0, replaced.code(), replaced.err());
        assertNotEquals("keep me", new String(Files.readAllBytes(onnx), StandardCharsets.ISO_8859_1));

        Files.createSymbolicLink(tmp.resolve("alias"), runA);
        for (Path into : List.of(weights, best.resolve("model.json"), runA.resolve("latest.json"), runA.resolve("x.onnx"),
                tmp.resolve("alias").resolve("latest.json"), best.resolve("..").resolve("..").resolve("best.json"))) {
            for (boolean overwrite : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of("export", "--model", runA.toString(), "--out", into.toString()));
                if (overwrite) {
                    args.add("--overwrite");
                }
                CliRun r = run(args);
                assertOneLine(r, 2, "--out", "model");
                assertTrue(r.err().contains("inside the model directory") || r.err().contains("the model itself"), r.err());
            }
        }
        assertArrayEquals(weightsBefore, Files.readAllBytes(weights));
        assertEquals(before, Trees.snapshot(runA));
    }
}
