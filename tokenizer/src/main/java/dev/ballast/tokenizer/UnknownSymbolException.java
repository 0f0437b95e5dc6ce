package dev.ballast.tokenizer;

import dev.ballast.engine.InputException;

/**
 * Thrown when text contains a symbol outside the vocabulary and the policy is
 * {@link UnknownPolicy#ERROR}. The message is one line naming the symbol and its offset.
 */
public class UnknownSymbolException extends InputException {

    private static final long serialVersionUID = 1L;

    private final String symbol;
    private final long offset;

    public UnknownSymbolException(String message, String symbol, long offset) {
        super(message);
        this.symbol = symbol;
        this.offset = offset;
    }

    /** The symbol that is not in the vocabulary. */
    public String symbol() {
        return symbol;
    }

    /** Where it was found, in the unit the tokenizer documents (UTF-16 index for {@link CharTokenizer}). */
    public long offset() {
        return offset;
    }
}
