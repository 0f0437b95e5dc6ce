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

    /**
     * Decodes a stream of ids one at a time, as a generator produces them. Feed the prompt's ids
     * first (their text is ignored) so that tokenizers whose spacing depends on the previous token
     * — words — start right.
     */
    @FunctionalInterface
    interface StreamDecoder {
        String next(int id);
    }

    /** A new {@link StreamDecoder}; characters decode one by one, so the default needs no state. */
    default StreamDecoder streamDecoder() {
        int[] one = new int[1];
        return id -> {
            one[0] = id;
            return decode(one, 0, 1);
        };
    }

    /**
     * The token a text is read after, as in training, where every line follows the previous line's
     * line break: the line-break symbol ({@code "\n"} for characters, {@code <eos>} for words), or -1
     * when the vocabulary has none. Scoring predicts a text's first token after it; generation without
     * a prompt starts from it.
     */
    default int startId() {
        return vocabulary().id("\n");
    }

    /**
     * The ids a generator starts from when there is no prompt: {@link #startId()}, so the text begins
     * like a new line of the corpus, or id 0 when the vocabulary has no line break.
     */
    default int[] startOfText() {
        int start = startId();
        return new int[] {start >= 0 ? start : 0};
    }
}
