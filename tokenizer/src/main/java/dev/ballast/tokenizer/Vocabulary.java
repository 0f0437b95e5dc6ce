package dev.ballast.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, dense mapping between token ids {@code 0..size()-1} and their symbols.
 *
 * <p>The vocabulary knows nothing about what a symbol is (a character, a word, a reserved marker
 * like {@code <unk>}); tokenizers decide that. Ids are the positions in the list it was built from,
 * so saving {@link #symbols()} and calling {@link #of(List)} again restores the same ids.
 *
 * <pre>{@code
 * Vocabulary v = Vocabulary.of(List.of("a", "b"));
 * v.id("b");     // 1
 * v.symbol(0);   // "a"
 * v.id("z");     // -1
 * }</pre>
 */
public final class Vocabulary {

    private final List<String> symbols;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> symbols, Map<String, Integer> ids) {
        this.symbols = symbols;
        this.ids = ids;
    }

    /**
     * Builds a vocabulary whose id {@code i} is {@code symbols.get(i)}.
     *
     * @throws IllegalArgumentException if a symbol is null or appears twice
     */
    public static Vocabulary of(List<String> symbols) {
        Map<String, Integer> ids = new HashMap<>(symbols.size() * 2);
        for (int i = 0; i < symbols.size(); i++) {
            String s = symbols.get(i);
            if (s == null) {
                throw new IllegalArgumentException("vocabulary symbol at id " + i + " is null");
            }
            Integer previous = ids.putIfAbsent(s, i);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate vocabulary symbol \"" + s + "\" at ids "
                        + previous + " and " + i);
            }
        }
        return new Vocabulary(List.copyOf(symbols), ids);
    }

    /** Number of symbols; valid ids are {@code 0..size()-1}. */
    public int size() {
        return symbols.size();
    }

    /** The id of {@code symbol}, or -1 when it is not in the vocabulary. */
    public int id(String symbol) {
        Integer id = ids.get(symbol);
        return id == null ? -1 : id;
    }

    /** The symbol with this id. @throws IndexOutOfBoundsException if the id is out of range */
    public String symbol(int id) {
        if (id < 0 || id >= symbols.size()) {
            throw new IndexOutOfBoundsException("token id " + id + " is outside the vocabulary [0, " + symbols.size() + ")");
        }
        return symbols.get(id);
    }

    /** All symbols in id order; unmodifiable. */
    public List<String> symbols() {
        return symbols;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.symbols.equals(symbols);
    }

    @Override
    public int hashCode() {
        return symbols.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary(size=" + symbols.size() + ")";
    }
}
