package dev.ballast.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("notes.txt");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.writeString(target, "second, längér");

        assertEquals("second, längér", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void oldContentSurvivesAWriterThatFailsMidway() throws IOException {
        Path target = dir.resolve("weights.bin");
        AtomicFiles.writeString(target, "old content");

        CheckpointException e = assertThrows(CheckpointException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[200_000]); // more than the buffer, so some bytes really reached the temp file
            throw new IOException("disk full");
        }));

        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void runtimeExceptionFromTheWriterPropagatesAfterCleanUp() throws IOException {
        Path target = dir.resolve("weights.bin");
        IllegalStateException bug = new IllegalStateException("bug");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            out.write(1);
            throw bug;
        }));

        assertSame(bug, thrown);
        assertEquals(List.of(), list(dir));
    }

    @Test
    void writerMayCloseTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            try (out) {
                out.write("done".getBytes(StandardCharsets.UTF_8));
            }
        });

        assertEquals("done", Files.readString(target));
    }

    @Test
    void createsTheParentDirectory() throws IOException {
        Path target = dir.resolve("a/b/file.txt");
        AtomicFiles.writeString(target, "x");

        assertEquals("x", Files.readString(target));
    }

    @Test
    void unwritableTargetIsReportedByName() throws IOException {
        Path target = dir.resolve("taken");
        Files.createDirectory(target);
        Files.writeString(target.resolve("child"), "keeps me non-empty");

        CheckpointException e = assertThrows(CheckpointException.class, () -> AtomicFiles.writeString(target, "x"));

        assertTrue(e.getMessage().startsWith("could not write " + target), e.getMessage());
        assertEquals(List.of(target), list(dir));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
