package dev.ballast.cli;

import picocli.CommandLine;

/** Entry point of the {@code ballast} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = BallastCommand.commandLine().execute(args);
        if (!Interrupts.shuttingDown()) {
            System.exit(code); // during a Ctrl-C shutdown System.exit would block; the hook ends the JVM
        }
    }

    /** Runs the CLI in-process with the given streams and returns its exit code (used by tests). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = BallastCommand.commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }
}
