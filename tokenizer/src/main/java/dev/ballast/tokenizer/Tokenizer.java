package dev.ballast.tokenizer;

/**
 * Turns text into token ids over a fixed {@link Vocabulary} and back.
 *
 * <p>Implementations are immutable and safe to share between threads. Symbols missing from the
 * vocabulary are handled by the {@link #unknownPolicy()}.
 */
public interface Tokenizer {

    /**
     * Encodes text to ids.
     *
     * @throws UnknownSymbolException if a symbol is unknown and the policy is {@link UnknownPolicy#ERROR}
     */
    int[] encode(CharSequence text);

    /** Decodes {@code ids[off, off+len)} back to text. @throws IllegalArgumentException on an id outside the vocabulary */
    String decode(int[] ids, int off, int len);

    /** Decodes all of {@code ids}. */
    default String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    Vocabulary vocabulary();

    /** Short name of the tokenizer kind, stored in saved models, e.g. {@code "char"}. */
    String type();

    UnknownPolicy unknownPolicy();

    /** The id unknown symbols map to, or -1 unless the policy is {@link UnknownPolicy#REPLACE}. */
    int unknownId();

    /** How many symbols of {@code text} are not in the vocabulary (for out-of-vocabulary reports). */
    long countUnknown(CharSequence text);
}
