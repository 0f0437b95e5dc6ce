package dev.ballast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a directory tree holds, to compare before and after a command: relative path -> content hash. */
final class Trees {

    private Trees() {
    }

    static Map<String, String> snapshot(Path root) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                try {
                    if (Files.isSymbolicLink(p)) {
                        out.put(rel, "-> " + Files.readSymbolicLink(p));
                    } else if (Files.isDirectory(p)) {
                        out.put(rel + "/", "dir");
                    } else {
                        out.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                                + " " + Files.getLastModifiedTime(p).toMillis());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
