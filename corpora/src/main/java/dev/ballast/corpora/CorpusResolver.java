package dev.ballast.corpora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns what the user typed after {@code --corpus} into a path.
 *
 * <p>An existing file or directory is used as is. Otherwise a bare name (no path separator) is
 * looked up in the corpora root: the system property {@value #ROOT_PROPERTY} when set, else the
 * environment variable {@value #ROOT_ENV}. The name {@value #BUILTIN} means the corpus embedded in
 * the jar ({@link DefaultCorpus}); callers check {@link #isBuiltin} before resolving.
 *
 * <pre>{@code
 * // with BALLAST_CORPORA=/work/shared/corpora
 * CorpusResolver.resolve("tinyshakespeare");   // /work/shared/corpora/tinyshakespeare
 * CorpusResolver.resolve("notes/my.txt");      // used as is, if it exists
 * }</pre>
 */
public final class CorpusResolver {

    /** The corpus name that selects the embedded {@link DefaultCorpus}. */
    public static final String BUILTIN = "builtin";
    /** System property naming the corpora root; wins over the environment variable. */
    public static final String ROOT_PROPERTY = "ballast.corpora";
    /** Environment variable naming the corpora root. */
    public static final String ROOT_ENV = "BALLAST_CORPORA";

    private CorpusResolver() {
    }

    /** Whether {@code name} selects the embedded corpus. */
    public static boolean isBuiltin(String name) {
        return BUILTIN.equals(name);
    }

    /**
     * Resolves a path or a corpus name.
     *
     * @throws CorpusException if nothing is found; the message says whether the corpora root is
     *     unset or lists the names available in it
     */
    public static Path resolve(String pathOrName) {
        return resolve(pathOrName, configuredRoot());
    }

    /** Resolution against an explicit root (null when none is configured). */
    static Path resolve(String pathOrName, String root) {
        if (pathOrName == null || pathOrName.isBlank()) {
            throw new CorpusException("no corpus given: pass a file, a directory or a corpus name");
        }
        Path direct = toPath(pathOrName);
        if (Files.exists(direct)) {
            return direct;
        }
        boolean bareName = pathOrName.indexOf('/') < 0 && pathOrName.indexOf('\\') < 0
                && !pathOrName.equals(".") && !pathOrName.equals("..");
        if (!bareName) {
            throw new CorpusException("corpus not found: " + pathOrName);
        }
        if (root == null) {
            throw new CorpusException("corpus not found: " + pathOrName + " is neither a file nor a directory, and "
                    + ROOT_ENV + " is not set (point it at a folder of named corpora)");
        }
        Path rootDir = toPath(root);
        if (!Files.isDirectory(rootDir)) {
            throw new CorpusException("corpus not found: " + pathOrName + "; the corpora root " + root + " (from "
                    + ROOT_ENV + ") is not a directory");
        }
        Path named = rootDir.resolve(pathOrName);
        if (Files.exists(named)) {
            return named;
        }
        List<String> names = available(rootDir);
        throw new CorpusException("corpus not found: " + pathOrName + " is not in " + rootDir + " (" + ROOT_ENV
                + "); available: " + (names.isEmpty() ? "none" : String.join(", ", names))
                + ", or " + BUILTIN);
    }

    /** The configured corpora root, or null: the system property, else the environment variable. */
    static String configuredRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (usable(property)) {
            return property;
        }
        String env = System.getenv(ROOT_ENV);
        return usable(env) ? env : null;
    }

    private static boolean usable(String root) {
        // Maven leaves "${env.BALLAST_CORPORA}" unexpanded when the variable is unset; that is no root.
        return root != null && !root.isBlank() && !root.startsWith("${");
    }

    private static List<String> available(Path rootDir) {
        try (Stream<Path> entries = Files.list(rootDir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new CorpusException("cannot list the corpora root " + rootDir + ": " + dev.ballast.engine.io.FileErrors.describe(e), e);
        }
    }

    private static Path toPath(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CorpusException("corpus path is not valid: " + value + " (" + e.getReason() + ")", e);
        }
    }
}
