package dev.ballast.engine.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes a file so that readers (and a crash at any moment) see either the old content or the complete
 * new content, never a half-written file.
 *
 * <p>The content goes to a hidden temporary file in the target's directory (same file system, so the
 * rename is atomic), which is fsynced and then moved over the target with {@code ATOMIC_MOVE}; where the
 * file system cannot move atomically it falls back to {@code REPLACE_EXISTING}. The directory is then
 * fsynced so the rename itself survives a power loss (best effort: not every platform can sync a
 * directory).
 *
 * <pre>{@code
 * AtomicFiles.write(run.resolve("vocab.txt"), out -> out.write(bytes));
 * AtomicFiles.writeString(run.resolve("notes.txt"), "hello\n");
 * }</pre>
 */
public final class AtomicFiles {

    /** Produces a file's content. The stream is buffered; closing it is allowed but not needed. */
    @FunctionalInterface
    public interface IoWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Temporary files are named {@code .TARGET.tmp-RANDOM}; see {@link #isTemporary(Path)}. */
    private static final String TEMP_MARKER = ".tmp-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code writer} writes, atomically. Creates the parent directory if
     * needed. On an I/O failure the temporary file is deleted, the target keeps its old content, and a
     * {@link CheckpointException} naming the target is thrown; a RuntimeException thrown by the writer is
     * rethrown unchanged after the same clean-up.
     */
    public static void write(Path target, IoWriter writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            for (Path p = dir; p != null; p = p.getParent()) {
                if (Files.exists(p)) {
                    if (!Files.isDirectory(p)) {
                        throw new CheckpointException("could not write " + target + ": " + p + " is a file, not a directory");
                    }
                    break;
                }
            }
            Files.createDirectories(dir);
            temp = dir.resolve("." + target.getFileName() + TEMP_MARKER + randomHex(8));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new NonClosing(Channels.newOutputStream(channel)), 1 << 16);
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            moveReplacing(temp, target);
            temp = null;
            fsyncDirectory(dir);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(temp);
            throw new CheckpointException("could not write " + target + ": " + describe(e), e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** {@link #write(Path, IoWriter)} for a UTF-8 text file. */
    public static void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Moves {@code source} over {@code target}, atomically where the file system allows it. */
    public static void moveReplacing(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Makes a directory's entries (created, renamed files) durable. Best effort: some platforms (Windows)
     * cannot open a directory for syncing, and losing only the sync is no reason to fail a save.
     */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort, see above
        }
    }

    /** Whether {@code file} is a temporary file left behind by a write that crashed. */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.contains(TEMP_MARKER);
    }

    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** What a file-system failure was, in words with its path ({@link FileErrors#describe}). */
    public static String describe(Exception e) {
        return FileErrors.describe(e);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the original failure matters more than a leftover temporary file
        }
    }

    /** Lets the writer close the stream without closing the channel we still have to fsync. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
