package dev.ballast.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum whose constants have a lowercase id ({@code global-norm}, {@code rnn-tanh}): what configs, flags
 * and JSON spell. Each such enum annotates its {@code id()} with {@code @JsonValue} and a {@code parse}
 * with {@code @JsonCreator} that calls {@link #parse(Class, String, String)}, so a saved file holds the id
 * and an unknown one is an {@link InputException} about the field that lists the choices.
 */
public interface Choice {

    /** The lowercase name configs, flags and JSON use. */
    String id();

    /**
     * The constant of {@code type} whose id is {@code text}, ignoring case and surrounding blanks.
     *
     * @param field the configuration field the value is for, named in the message
     * @throws InputException {@code "<field> must be one of a, b, c, got 'x'"} otherwise
     */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String field, String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(t)) {
                return e;
            }
        }
        throw InputException.field(field, "must be one of " + ids(type) + ", got '" + text + "'");
    }

    /** The ids of {@code type}'s constants in declaration order, comma-separated: {@code "sgd, adam, adamw"}. */
    static <E extends Enum<E> & Choice> String ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::id).collect(Collectors.joining(", "));
    }
}
