package dev.ballast.tokenizer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

import java.util.Locale;

/** What a tokenizer does with a symbol that is not in its vocabulary ({@code unknown_policy}). */
public enum UnknownPolicy implements Choice {
    /** Fail with an {@link UnknownSymbolException} naming the symbol and where it is. */
    ERROR,
    /** Drop the symbol silently; {@link Tokenizer#countUnknown} reports how many were dropped. */
    SKIP,
    /** Map the symbol to a reserved unknown id (id 0). */
    REPLACE;

    /** The lowercase name used on the command line and in saved models, e.g. {@code "skip"}. */
    @JsonValue
    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code "error"}, {@code "skip"} or {@code "replace"} (case-insensitive).
     *
     * @throws dev.ballast.engine.InputException about {@code unknown_policy}, naming the value and the choices
     */
    @JsonCreator
    public static UnknownPolicy parse(String value) {
        return Choice.parse(UnknownPolicy.class, "unknown_policy", value);
    }
}
