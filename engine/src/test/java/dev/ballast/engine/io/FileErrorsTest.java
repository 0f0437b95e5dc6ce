package dev.ballast.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File errors become words with the path, never Java exception class names. */
class FileErrorsTest {

    /** A Java exception class name, e.g. FileSystemException or java.io.IOException. */
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Exception|Error)\\b|java\\.(?:io|nio)");

    @TempDir
    Path dir;

    private static void assertWords(String expected, String text) {
        assertEquals(expected, text);
        assertFalse(CLASS_NAME.matcher(text).find(), text);
    }

    @Test
    void commonFailuresAreSaidInWordsWithThePath() {
        assertWords("no such file or directory (runs/a/model.json)",
                AtomicFiles.describe(new NoSuchFileException("runs/a/model.json")));
        assertWords("permission denied (/etc/shadow)", AtomicFiles.describe(new AccessDeniedException("/etc/shadow")));
        assertWords("disk full (out.onnx)",
                AtomicFiles.describe(new FileSystemException("out.onnx", null, "No space left on device")));
        assertWords("is a directory (runs)", AtomicFiles.describe(new FileSystemException("runs", null, "Is a directory")));
        assertWords("read-only file system (/mnt/ro/x)",
                AtomicFiles.describe(new FileSystemException("/mnt/ro/x", null, "Read-only file system")));
        assertWords("disk full", AtomicFiles.describe(new IOException("No space left on device")));
        assertWords("no such file or directory (x)",
                AtomicFiles.describe(new UncheckedIOException(new NoSuchFileException("x"))));
        assertWords("input/output error", AtomicFiles.describe(new IOException()));
    }

    @Test
    void aWriteUnderAFileSaysNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> AtomicFiles.writeString(file.resolve("model.json"), "{}"));
        assertTrue(e.getMessage().startsWith("could not write " + file.resolve("model.json") + ": "), e.getMessage());
        assertFalse(CLASS_NAME.matcher(e.getMessage()).find(), e.getMessage());
    }

    @Test
    void readingADirectoryAsJsonSaysWhatItIs() throws IOException {
        Path missing = dir.resolve("missing.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(missing));
        assertFalse(CLASS_NAME.matcher(e.getMessage()).find(), e.getMessage());
        Path sub = Files.createDirectory(dir.resolve("weights.safetensors"));
        e = assertThrows(CheckpointException.class, () -> SafeTensors.read(sub));
        assertFalse(CLASS_NAME.matcher(e.getMessage()).find(), e.getMessage());
        assertTrue(e.getMessage().contains(sub.toString()), e.getMessage());
    }
}
