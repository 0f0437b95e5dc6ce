package dev.ballast.training.checkpoint;

import dev.ballast.engine.InputException;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.FileErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps a new run from destroying an old one. A directory "holds a run" when it has what a training run
 * writes (checkpoints, pointers, the stability report, a saved model); a new run into it is refused unless
 * the user asks for {@code --overwrite}, which moves the old run's files aside first and deletes them only
 * once the new run has started ({@link Replaced}). Default outputs get a fresh directory per run
 * ({@link #fresh}) with a {@link RunLink} such as {@code runs/latest} naming the newest.
 *
 * <pre>{@code
 * RunDirectory.refuseExisting(out, "train", "--resume " + out);   // InputException if out holds a run
 * RunDirectory.Replaced old = RunDirectory.setAside(out);          // with --overwrite
 * ... start the new run ...; old.delete();                         // or old.restore() when it failed
 * }</pre>
 */
public final class RunDirectory {

    /** Files and directories a run writes; any one of them means the directory holds a run. */
    static final List<String> RUN_FILES = List.of(CheckpointStore.LATEST, CheckpointStore.BEST, CheckpointStore.CHECKPOINTS,
            "stability.json", "quarantine.json", "report.html", "charts", CheckpointStore.MODEL, "weights.safetensors",
            "forecaster.json", "forecaster.safetensors");
    /** The ones that alone mean a run (charts or a report could be anything's). */
    private static final List<String> MARKERS = List.of(CheckpointStore.LATEST, CheckpointStore.BEST, CheckpointStore.CHECKPOINTS,
            "stability.json", CheckpointStore.MODEL, "forecaster.json");
    private static final String REPLACED_PREFIX = ".replaced-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private RunDirectory() {
    }

    /** Whether {@code dir} is a directory holding a run or a saved model. */
    public static boolean holdsRun(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (String name : MARKERS) {
            if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a new run into {@code out} when it holds one (or is a file): one line saying how to continue
     * it or start fresh.
     *
     * @param command  the command's name, e.g. {@code train}
     * @param continueWith how to continue that run, e.g. {@code ballast train --resume runs/a}
     */
    public static void refuseExisting(Path out, String command, String continueWith) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException("--out " + out + " is a file, not a directory; name a run directory");
        }
        if (holdsRun(out)) {
            throw new InputException("--out " + out + " already holds a run; continue it with '" + continueWith
                    + "', or start fresh with a new --out or with --overwrite (which replaces it)");
        }
    }

    /**
     * A new directory name under {@code parent} for a run started now, {@code PREFIXyyyyMMdd-HHmmss} (with
     * {@code -2}, {@code -3}, ... when taken); not created, so a run refused for bad input leaves nothing.
     */
    public static Path fresh(Path parent, String prefix) {
        String stamp = prefix + LocalDateTime.now(ZoneId.systemDefault()).format(STAMP);
        Path candidate = parent.resolve(stamp);
        for (int i = 2; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); i++) {
            candidate = parent.resolve(stamp + "-" + i);
        }
        return candidate;
    }

    /**
     * Points {@code link} (e.g. {@code runs/latest}) at {@code run}, a directory beside it. A real directory
     * left at {@code link} by an earlier Ballast is renamed to a dated name first, never deleted.
     *
     * @return the directory an earlier run was moved to, or null
     */
    public static Path link(Path link, Path run) {
        Path movedTo = null;
        try {
            Files.createDirectories(link.toAbsolutePath().getParent());
            if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
                if (isEmpty(link)) {
                    Files.delete(link);
                } else {
                    LocalDateTime when = LocalDateTime.ofInstant(Files.getLastModifiedTime(link).toInstant(), ZoneId.systemDefault());
                    String base = link.getFileName() + "-" + when.format(STAMP);
                    movedTo = link.resolveSibling(base);
                    for (int i = 2; Files.exists(movedTo, LinkOption.NOFOLLOW_LINKS); i++) {
                        movedTo = link.resolveSibling(base + "-" + i);
                    }
                    Files.move(link, movedTo);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("could not make " + link + " point to " + run + ": " + FileErrors.describe(e), e);
        }
        RunLink.point(link, run);
        return movedTo;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * For {@code --overwrite}: moves the run files of {@code dir} (and nothing else in it) into a hidden
     * directory inside it, so the new run starts clean while the old one can still be put back.
     */
    public static Replaced setAside(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException("--out " + dir + " is a file, not a directory; name a run directory");
        }
        if (!holdsRun(dir)) {
            return new Replaced(dir, null, List.of());
        }
        Path aside = dir.resolve(REPLACED_PREFIX + AtomicFiles.randomHex(6));
        List<String> moved = new ArrayList<>();
        try {
            Files.createDirectory(aside);
            for (String name : RUN_FILES) {
                Path p = dir.resolve(name);
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(p, aside.resolve(name));
                    moved.add(name);
                }
            }
            AtomicFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            Replaced partial = new Replaced(dir, aside, moved);
            partial.restore();
            throw new CheckpointException("could not move the old run in " + dir + " aside: " + FileErrors.describe(e), e);
        }
        return new Replaced(dir, aside, moved);
    }

    /** The old run's files, moved aside by {@link #setAside}: deleted once the new run started, or put back. */
    public static final class Replaced {
        private final Path dir;
        private final Path aside; // null when there was nothing to move
        private final List<String> names;

        Replaced(Path dir, Path aside, List<String> names) {
            this.dir = dir;
            this.aside = aside;
            this.names = names;
        }

        /** Whether an old run was moved aside. */
        public boolean any() {
            return aside != null && !names.isEmpty();
        }

        /** Deletes the old run for good (call once the new run has started). */
        public void delete() {
            if (aside == null) {
                return;
            }
            try {
                CheckpointStore.deleteRecursively(aside);
            } catch (IOException e) {
                throw new CheckpointException("could not delete the old run moved to " + aside + ": " + FileErrors.describe(e), e);
            }
        }

        /** Puts the old run back (the new one did not start); what the new one wrote there is removed first. */
        public void restore() {
            if (aside == null) {
                return;
            }
            try {
                for (String name : names) {
                    Path target = dir.resolve(name);
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                            CheckpointStore.deleteRecursively(target);
                        } else {
                            Files.delete(target);
                        }
                    }
                    Files.move(aside.resolve(name), target);
                }
                Files.deleteIfExists(aside);
            } catch (IOException e) {
                throw new CheckpointException("could not put the old run back from " + aside + ": " + FileErrors.describe(e), e);
            }
        }
    }
}
