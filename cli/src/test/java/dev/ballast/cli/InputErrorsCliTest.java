package dev.ballast.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A bad value is one line on stderr and exit 2, and the line names the flag the user typed even though the
 * library's message names the configuration field ({@code clip_norm}); see {@link FlagNames}.
 */
class InputErrorsCliTest {

    @Test
    void aConfigErrorNamesTheFlag() {
        assertOneLine("ballast train: --clip-norm must be > 0, got -1.0", CliRun.ballast("train", "--clip-norm", "-1"));
        assertOneLine("ballast train: --valid-fraction must be in [0, 1), got 1.5",
                CliRun.ballast("train", "--valid-fraction", "1.5"));
        assertOneLine("ballast train: --tie-weights needs --embed equal to --hidden, got --embed 8 and --hidden 16",
                CliRun.ballast("train", "--tie-weights", "--embed", "8", "--hidden", "16"));
        assertOneLine("ballast train: --unknown-policy must be replace with --level word (unknown words become <unk>), got 'error'",
                CliRun.ballast("train", "--level", "word", "--unknown", "error"));
        assertOneLine("ballast forecast: --interval must be in (0, 1), got 1.0", CliRun.ballast("forecast", "--interval", "1"));
        assertOneLine("ballast generate: --temperature must be at least 0 (0 = greedy), got -1.0",
                CliRun.ballast("generate", "--model", "no-such-run", "--temperature", "-1"));
        assertOneLine("ballast serve: --max-body must be at least 1, got 0",
                CliRun.ballast("serve", "--model", "no-such-run", "--max-body", "0"));
    }

    @Test
    void anUnknownChoiceNamesTheFlagAndListsTheChoices() {
        assertOneLine("ballast train: --clip must be one of global-norm, layer-norm, tensor-norm, value, auto, agc, none, got 'norm'",
                CliRun.ballast("train", "--clip", "norm"));
        assertOneLine("ballast train: --unknown-policy must be one of error, skip, replace, got 'drop'",
                CliRun.ballast("train", "--unknown", "drop"));
        assertOneLine("ballast forecast: --optimizer must be one of sgd, adam, adamw, rmsprop, adagrad, got 'lion'",
                CliRun.ballast("forecast", "--optimizer", "lion"));
        assertOneLine("ballast forecast: --scale must be one of standard, minmax, mean, got 'robust'",
                CliRun.ballast("forecast", "--scale", "robust"));
    }

    /** Corpus and checkpoint errors name fields the same way (a CorpusException is an InputException). */
    @Test
    void aCorpusErrorNamesTheFlagToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path bad = java.nio.file.Files.write(tmp.resolve("bad.txt"), new byte[] {'a', 'b', 'c', (byte) 0xC3, '(', '\n'});
        assertOneLine("ballast train: " + bad + ": invalid UTF-8 at byte offset 3 (use --replace-malformed to substitute U+FFFD)",
                CliRun.ballast("train", "--corpus", bad.toString()));
    }

    /** An explicit 0 where 0 means nothing is refused (leaving the flag out gives the default). */
    @Test
    void anExplicitZeroIsOneLineAndExit2() {
        assertOneLine("ballast train: --steps must be at least 1, got 0 (leave it out for 500 steps)",
                CliRun.ballast("train", "--steps", "0"));
        assertOneLine("ballast train: --epochs must be at least 1, got 0", CliRun.ballast("train", "--epochs", "0"));
        assertOneLine("ballast forecast: --lookback must be >= 1, got 0 (leave it out for three seasons within [24, 48])",
                CliRun.ballast("forecast", "--lookback", "0"));
        assertOneLine("ballast forecast: --validation must be >= 1, got 0 (leave it out for min(H, n/5))",
                CliRun.ballast("forecast", "--validation", "0"));
        assertOneLine("ballast forecast: --clip-value must be > 0, got 0.0 (leave it out for the --clip-norm value)",
                CliRun.ballast("forecast", "--clip-value", "0"));
    }

    /** Two flags that decide the same thing are refused together, even when one of them has a default. */
    @Test
    void conflictingFlagsAreOneLineAndExit2() {
        assertOneLine("ballast train: give --steps or --epochs, not both", CliRun.ballast("train", "--steps", "5", "--epochs", "2"));
        assertOneLine("ballast train: give --valid or --valid-fraction, not both",
                CliRun.ballast("train", "--valid", "v.txt", "--valid-fraction", "0.1"));
        assertOneLine("ballast generate: give --greedy or --temperature, not both",
                CliRun.ballast("generate", "--model", "no-such-run", "--greedy", "--temperature", "1.0"));
    }

    static void assertOneLine(String expected, CliRun run) {
        assertEquals(BallastCommand.EXIT_BAD_INPUT, run.code(), run.err());
        assertEquals(expected + System.lineSeparator(), run.err());
    }
}
