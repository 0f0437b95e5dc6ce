package dev.ballast.cli;

import dev.ballast.engine.InputException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The one place the CLI maps configuration fields to flags. The library names a field by its snake_case
 * JSON name ({@code clip_norm must be > 0, got -1.0}, carried as data on the {@link InputException}); the
 * CLI shows the flag the user typed ({@code --clip-norm must be > 0, got -1.0}). The mapping is derived from
 * each command's picocli options ({@code --clip-norm} sets {@code clip_norm}), so a new flag needs no entry;
 * {@link #FIELD_OF_FLAG} lists the few flags whose name is not their field's. {@link ConfigDefaults} uses
 * the same mapping to take {@code train}'s defaults from {@code TrainingConfig}.
 */
final class FlagNames {

    /** Flags that set a field of another name. */
    private static final Map<String, String> FIELD_OF_FLAG = Map.of(
            "--prime", "prompt",                       // generate: the text the request calls prompt
            "--length", "max_tokens",                  // generate: the tokens the request calls max_tokens
            "--no-season-features", "season_features");

    private FlagNames() {
    }

    /** The field an option sets: {@code --clip-norm} sets {@code clip_norm}. */
    static String field(OptionSpec option) {
        String flag = option.longestName();
        String field = FIELD_OF_FLAG.get(flag);
        return field != null ? field : flag.replaceFirst("^--?", "").replace('-', '_');
    }

    /** How {@code command}'s messages spell a field: as its flag; a field with no flag keeps its name (null). */
    static UnaryOperator<String> of(CommandSpec command) {
        Map<String, String> flags = new HashMap<>();
        for (OptionSpec o : command.options()) {
            flags.putIfAbsent(field(o), o.longestName());
        }
        return flags::get;
    }

    /** {@code e}'s message as {@code command} shows it: every field it names spelled as the flag. */
    static String message(InputException e, CommandSpec command) {
        return e.message(of(command));
    }
}
