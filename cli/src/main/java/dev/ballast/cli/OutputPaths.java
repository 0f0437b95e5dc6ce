package dev.ballast.cli;

import dev.ballast.engine.InputException;
import dev.ballast.training.checkpoint.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks on where a command writes, made before it reads or writes anything. */
final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * Refuses an output path equal to the model it reads or inside the model's directory (the run
     * directory given, and the checkpoint directory it resolves to), through symbolic links and
     * {@code ..}: a command must never overwrite the model it reads, not even with --overwrite.
     */
    static void refuseInsideModel(Path out, Path model) {
        Path target = real(out);
        List<Path> owned = new ArrayList<>();
        owned.add(real(model));
        if (Files.isDirectory(model)) {
            try {
                owned.add(real(CheckpointStore.resolveModel(model)));
            } catch (RuntimeException e) {
                // not a loadable model: the load reports that, one line, after this check
            }
        }
        for (Path p : owned) {
            if (target.equals(p) || target.startsWith(p)) {
                throw new InputException("--out " + out + " is " + (target.equals(p) ? "the model itself" : "inside the model directory " + p)
                        + "; write the export outside the model's files (they are never overwritten, not even with --overwrite)");
            }
        }
    }

    /** The absolute, normalised path with symbolic links resolved as far as the path exists. */
    static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = abs.getRoot().relativize(abs.getRoot());
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return abs;
        }
    }
}
