package dev.ballast.tokenizer;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a tokenizer does with a symbol that is not in its vocabulary. */
public enum UnknownPolicy {
    /** Fail with an {@link UnknownSymbolException} naming the symbol and where it is. */
    ERROR,
    /** Drop the symbol silently; {@link Tokenizer#countUnknown} reports how many were dropped. */
    SKIP,
    /** Map the symbol to a reserved unknown id (id 0). */
    REPLACE;

    /** The lowercase name used on the command line and in saved models, e.g. {@code "skip"}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code "error"}, {@code "skip"} or {@code "replace"} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static UnknownPolicy parse(String value) {
        for (UnknownPolicy p : values()) {
            if (value != null && p.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        String choices = Arrays.stream(values()).map(UnknownPolicy::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("unknown-symbol policy '" + value + "' is not one of: " + choices);
    }
}
