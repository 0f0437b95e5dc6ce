package dev.ballast.cli;

import dev.ballast.engine.InputException;
import dev.ballast.training.TrainingDivergedException;
import dev.ballast.training.model.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ballast}: train, evaluate and sample recurrent language models.
 *
 * <p>Exit codes: 0 success; 1 training diverged or another run-time failure; 2 a bad flag, file,
 * corpus or model — a picocli parameter error or an {@link InputException}, one line on stderr naming it;
 * 130 stopped by Ctrl-C after saving a checkpoint. Any other exception is an internal error (exit 1).
 */
@Command(name = "ballast", mixinStandardHelpOptions = true, versionProvider = BallastCommand.Version.class,
        description = {"Train and use recurrent language models and time-series forecasters.",
                "Language models are LSTMs or vanilla RNNs whose tokens are characters or words;",
                "forecasters learn a numeric series and are scored against simple baselines."},
        subcommands = {TrainCommand.class, EvalCommand.class, GenerateCommand.class, ScoreCommand.class,
                ExportCommand.class, ServeCommand.class, ForecastCommand.class, DiagnoseCommand.class,
                StressCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 training diverged or failed, 2 bad input,",
                "130 interrupted (checkpoint saved).",
                "Run 'ballast COMMAND --help' for a command's options."})
public final class BallastCommand implements Runnable {

    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BallastCommand());
        // A mistyped flag gets one line and a pointer to --help, not the whole usage text.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            String name = cmd.getParent() == null ? "ballast" : "ballast " + cmd.getCommandName();
            cmd.getErr().println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            String name = cmd.getCommandName();
            if (e instanceof InputException input) {
                cmd.getErr().println("ballast " + name + ": " + FlagNames.message(input, cmd.getCommandSpec()));
                return EXIT_BAD_INPUT;
            }
            if (e instanceof TrainingDivergedException) {
                cmd.getErr().println("ballast " + name + ": " + e.getMessage());
                return EXIT_FAILED;
            }
            if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
                // in words ("no such file", "disk full") with the path, never a Java class name
                cmd.getErr().println("ballast " + name + ": " + dev.ballast.engine.io.FileErrors.describe(e));
                return EXIT_FAILED;
            }
            cmd.getErr().println("ballast " + name + ": internal error: " + e
                    + (System.getenv("BALLAST_DEBUG") == null ? " (set BALLAST_DEBUG=1 for the stack trace)" : ""));
            if (System.getenv("BALLAST_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return EXIT_FAILED;
        });
        return cl;
    }

    /**
     * Refuses two flags that each decide the same thing ({@code --valid} and {@code --valid-fraction}, ...)
     * when both are given, even when one of them has a default: one line, exit 2.
     */
    static void notBoth(CommandLine.ParseResult parsed, String flag, String other) {
        if (parsed.hasMatchedOption(flag) && parsed.hasMatchedOption(other)) {
            throw new InputException("give " + flag + " or " + other + ", not both");
        }
    }

    /** Prints the Ballast version with the JVM it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ballast " + Provenance.currentVersion(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
