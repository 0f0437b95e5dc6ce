package dev.ballast.training.checkpoint;

import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.SafeTensors;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checkpoints of one training run, laid out so that a crash at any moment leaves the previous
 * checkpoint intact and pointed to:
 * <pre>
 * RUN/latest.json                     {"format": "ballast-pointer", "version": 1,
 * RUN/best.json                        "checkpoint": "checkpoints/step-00000600", "step": 600, "val_loss": 1.71}
 * RUN/checkpoints/step-00000600/      one complete checkpoint (files chosen by the caller)
 * RUN/checkpoints/.staging-step-...   a checkpoint being written; removed if a crash left it behind
 * </pre>
 * A checkpoint is written into a staging directory, fsynced, renamed into place, and only then do the
 * pointer files (written atomically) name it. After each commit only the checkpoints named by latest and
 * best and the previous latest are kept, at most three directories.
 *
 * <pre>{@code
 * CheckpointStore store = new CheckpointStore(runDir);
 * Path dir = store.stage(600);
 * SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of());
 * AtomicFiles.writeString(dir.resolve("model.json"), modelJson);
 * store.commit(dir, 600, isBest, valLoss);
 * Path model = CheckpointStore.resolveModel(runDir);   // the best checkpoint
 * }</pre>
 */
public final class CheckpointStore {

    static final String CHECKPOINTS = "checkpoints";
    static final String LATEST = "latest.json";
    static final String BEST = "best.json";
    static final String MODEL = "model.json";

    private static final String STAGING_PREFIX = ".staging-";
    /** An older directory of the same step, moved aside during a commit until the pointers are updated. */
    private static final String REPLACED_PREFIX = ".replaced-";
    private static final Pattern STEP_DIR = Pattern.compile("step-\\d{8,}");
    private static final Pattern REPLACED_DIR = Pattern.compile(Pattern.quote(REPLACED_PREFIX) + "(step-\\d{8,})-[0-9a-f]+");

    private final Path runDir;
    private final Path checkpointsDir;

    /**
     * Opens (creating if needed) a run directory and cleans up after a crashed run: staging directories
     * are deleted, and a checkpoint that was moved aside for a re-commit is moved back if its replacement
     * never arrived.
     */
    public CheckpointStore(Path runDir) {
        this.runDir = runDir;
        this.checkpointsDir = runDir.resolve(CHECKPOINTS);
        try {
            Files.createDirectories(checkpointsDir);
            recover();
        } catch (IOException e) {
            throw new CheckpointException("could not open run directory " + runDir + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** The run directory this store manages. */
    public Path runDir() {
        return runDir;
    }

    /** A new, empty directory for the caller to write the checkpoint of {@code step} into. */
    public Path stage(long step) {
        requireStep(step);
        Path staged = checkpointsDir.resolve(STAGING_PREFIX + stepName(step) + "-" + AtomicFiles.randomHex(6));
        try {
            return Files.createDirectory(staged);
        } catch (IOException e) {
            throw new CheckpointException("could not create " + staged + ": " + AtomicFiles.describe(e), e);
        }
    }

    /**
     * Deletes a staged directory whose checkpoint could not be written (best effort: the failure that
     * led here matters more; a leftover is also removed when the run directory is next opened). A
     * directory already committed, or not a staging directory of this store, is left alone.
     */
    public void discard(Path staged) {
        Path dir = staged.toAbsolutePath().normalize();
        if (!checkpointsDir.toAbsolutePath().normalize().equals(dir.getParent())
                || !dir.getFileName().toString().startsWith(STAGING_PREFIX) || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            // see above
        }
    }

    /**
     * Makes a staged directory the checkpoint of {@code step}: fsyncs its files, renames it to
     * {@code checkpoints/step-%08d}, points latest.json (and best.json when {@code best}) at it, and prunes
     * old checkpoints. {@code valLoss} may be NaN when unknown; it is then left out of the pointers.
     * Saving a step that already has a directory (after a resume) replaces it; the old one is deleted only
     * once the pointers name the new one. (If best.json named the old directory and this commit is not
     * {@code best}, best.json keeps its old step and loss but now names the new content.)
     *
     * @return the checkpoint's final directory
     */
    public Path commit(Path staged, long step, boolean best, double valLoss) {
        requireStep(step);
        Path stagedDir = staged.toAbsolutePath().normalize();
        if (!checkpointsDir.toAbsolutePath().normalize().equals(stagedDir.getParent())
                || !stagedDir.getFileName().toString().startsWith(STAGING_PREFIX) || !Files.isDirectory(stagedDir)) {
            throw new IllegalArgumentException(staged + " is not a staging directory of this store; use stage(step)");
        }
        String name = stepName(step);
        Path finalDir = checkpointsDir.resolve(name);
        Path aside = null;
        try {
            Optional<CheckpointPointer> previousLatest = readPointer(LATEST);
            fsyncTree(stagedDir);
            if (Files.exists(finalDir, LinkOption.NOFOLLOW_LINKS)) {
                aside = checkpointsDir.resolve(REPLACED_PREFIX + name + "-" + AtomicFiles.randomHex(6));
                renameDirectory(finalDir, aside);
            }
            renameDirectory(stagedDir, finalDir);
            AtomicFiles.fsyncDirectory(checkpointsDir);

            CheckpointPointer pointer = new CheckpointPointer(CHECKPOINTS + "/" + name, step,
                    Double.isFinite(valLoss) ? OptionalDouble.of(valLoss) : OptionalDouble.empty());
            pointer.write(runDir.resolve(LATEST));
            if (best) {
                pointer.write(runDir.resolve(BEST));
            }
            if (aside != null) {
                deleteRecursively(aside);
            }
            Set<Path> keep = new HashSet<>();
            keep.add(finalDir.toAbsolutePath().normalize());
            previousLatest.ifPresent(p -> keep.add(p.target(runDir).toAbsolutePath().normalize()));
            readPointer(BEST).ifPresent(p -> keep.add(p.target(runDir).toAbsolutePath().normalize()));
            prune(keep);
            return finalDir;
        } catch (IOException e) {
            throw new CheckpointException("could not save checkpoint " + finalDir + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** The checkpoint latest.json names, if any. */
    public Optional<Path> latest() {
        return readPointer(LATEST).map(p -> existingTarget(runDir, runDir.resolve(LATEST), p));
    }

    /** The checkpoint best.json names, if any. */
    public Optional<Path> best() {
        return readPointer(BEST).map(p -> existingTarget(runDir, runDir.resolve(BEST), p));
    }

    /** The validation loss recorded in best.json, if there is one and it was known. */
    public OptionalDouble bestValLoss() {
        return readPointer(BEST).map(CheckpointPointer::valLoss).orElse(OptionalDouble.empty());
    }

    /**
     * The model directory {@code path} means, for inference or export: a directory with model.json as
     * is; a run directory's best checkpoint, or its latest when nothing was marked best.
     */
    public static Path resolveModel(Path path) {
        return resolve(path, BEST, LATEST);
    }

    /**
     * The checkpoint to resume training from: like {@link #resolveModel} but a run directory resolves to
     * its latest checkpoint, since training continues from where it stopped, not from its best point.
     */
    public static Path resolveResume(Path path) {
        return resolve(path, LATEST, BEST);
    }

    private static Path resolve(Path given, String preferred, String fallback) {
        Path path = RunLink.follow(given);
        if (!Files.exists(path)) {
            throw new CheckpointException("model not found: " + path);
        }
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(MODEL))) {
                return path;
            }
            for (String pointerName : List.of(preferred, fallback)) {
                Path pointerFile = path.resolve(pointerName);
                if (Files.exists(pointerFile)) {
                    try {
                        return existingTarget(path, pointerFile, CheckpointPointer.read(pointerFile));
                    } catch (NoSuchFileException e) {
                        // deleted between the two calls: try the other pointer
                    }
                }
            }
        }
        throw new CheckpointException(path + " is not a Ballast model directory (no " + MODEL + ", " + BEST
                + " or " + LATEST + ")");
    }

    private static Path existingTarget(Path runDir, Path pointerFile, CheckpointPointer pointer) {
        Path target = pointer.target(runDir);
        if (!Files.isDirectory(target)) {
            throw new CheckpointException(pointerFile + " points to " + pointer.checkpoint() + " which does not exist");
        }
        return target;
    }

    private Optional<CheckpointPointer> readPointer(String name) {
        try {
            return Optional.of(CheckpointPointer.read(runDir.resolve(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void recover() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(checkpointsDir)) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                var replaced = REPLACED_DIR.matcher(fileName);
                if (fileName.startsWith(STAGING_PREFIX)) {
                    deleteRecursively(entry);
                } else if (replaced.matches()) {
                    // The crash came between moving the old directory aside and renaming the new one in:
                    // the pointers still name the old one, so it goes back.
                    Path original = checkpointsDir.resolve(replaced.group(1));
                    if (Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
                        deleteRecursively(entry);
                    } else {
                        renameDirectory(entry, original);
                    }
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(runDir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && AtomicFiles.isTemporary(entry)) {
                    Files.deleteIfExists(entry); // a pointer write that crashed
                }
            }
        }
    }

    /**
     * Deletes step directories not in {@code keep}. A directory that cannot be deleted now (a file still
     * open on some platforms) stays and is tried again at the next commit; the save itself succeeded.
     */
    private void prune(Set<Path> keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(checkpointsDir)) {
            for (Path entry : entries) {
                if (STEP_DIR.matcher(entry.getFileName().toString()).matches()
                        && !keep.contains(entry.toAbsolutePath().normalize())) {
                    try {
                        deleteRecursively(entry);
                    } catch (IOException e) {
                        // see above
                    }
                }
            }
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    fsyncFile(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                AtomicFiles.fsyncDirectory(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void fsyncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows syncs only handles opened for writing.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
    }

    private static void renameDirectory(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String stepName(long step) {
        return String.format(Locale.ROOT, "step-%08d", step);
    }

    private static void requireStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0 but is " + step);
        }
    }
}
