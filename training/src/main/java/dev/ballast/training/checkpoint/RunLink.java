package dev.ballast.training.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.FileErrors;
import dev.ballast.engine.io.Json;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A name that points at the newest run, such as {@code runs/latest}: a relative symbolic link where the
 * file system has them, else a small pointer file
 * <pre>{@code {"format": "ballast-run-link", "version": 1, "run": "20261203-144500"}}</pre>
 * naming a sibling directory. {@link #follow} turns either into the run directory, so
 * {@code --model runs/latest} and {@code --resume runs/latest} work the same on both.
 */
public final class RunLink {

    public static final String FORMAT = "ballast-run-link";
    /** A pointer file is tiny; anything larger is some other file and is not read. */
    private static final long MAX_BYTES = 4096;

    private RunLink() {
    }

    /**
     * The directory {@code path} stands for: the run a pointer file names, else {@code path} itself (a
     * symbolic link is followed by the file system).
     */
    public static Path follow(Path path) {
        if (path == null || !isPointerFile(path)) {
            return path;
        }
        JsonNode n = Json.read(path);
        String run = n.path("run").asText("");
        Path target;
        try {
            target = Path.of(run);
        } catch (InvalidPathException e) {
            target = null;
        }
        if (run.isEmpty() || target == null || target.isAbsolute() || target.getNameCount() != 1 || run.equals("..")) {
            throw new CheckpointException(path + " is not a valid Ballast run link: \"run\" must name a directory beside it");
        }
        Path parent = path.getParent();
        return parent == null ? target : parent.resolve(target);
    }

    /** Whether {@code path} is a pointer file written by {@link #point} (not a symbolic link). */
    public static boolean isPointerFile(Path path) {
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.size(path) > MAX_BYTES) {
                return false;
            }
            byte[] head = Files.readAllBytes(path);
            return new String(head, java.nio.charset.StandardCharsets.UTF_8).contains("\"" + FORMAT + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code path} is a link to a run: a symbolic link or a pointer file. */
    public static boolean isLink(Path path) {
        return Files.isSymbolicLink(path) || isPointerFile(path);
    }

    /**
     * Makes {@code link} point at {@code run}, a directory beside it, replacing an earlier link atomically:
     * a relative symbolic link, or a pointer file where symbolic links cannot be made.
     */
    public static void point(Path link, Path run) {
        Path dir = link.toAbsolutePath().getParent();
        Path name = run.getFileName();
        if (!dir.equals(run.toAbsolutePath().normalize().getParent())) {
            throw new IllegalArgumentException(run + " is not beside " + link);
        }
        Path temp = dir.resolve("." + link.getFileName() + ".tmp-" + AtomicFiles.randomHex(6));
        try {
            Files.createSymbolicLink(temp, name);
            try {
                Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, link, StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        } catch (UnsupportedOperationException | IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the pointer file below is what matters
            }
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("format", FORMAT);
        n.put("version", 1);
        n.put("run", name.toString());
        try {
            if (Files.isSymbolicLink(link)) {
                Files.delete(link);
            }
        } catch (IOException e) {
            throw new CheckpointException("could not replace " + link + ": " + FileErrors.describe(e), e);
        }
        AtomicFiles.writeString(link, Json.text(n));
    }
}
