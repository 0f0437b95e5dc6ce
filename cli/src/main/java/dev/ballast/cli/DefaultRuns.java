package dev.ballast.cli;

import java.nio.file.Path;

/**
 * Where {@code train} and {@code forecast} put a run when no {@code --out} is given: a new directory per
 * run under {@code runs/} (relative to the working directory), with a link naming the newest.
 */
final class DefaultRuns {

    /** The parent of default run directories; tests point it at a temporary directory. */
    static volatile Path root = Path.of("runs");

    private DefaultRuns() {
    }

    static Path root() {
        return root;
    }
}
