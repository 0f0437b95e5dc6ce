package dev.ballast.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A character-level tokenizer: one token per Unicode code point (never per UTF-16 char, so an
 * emoji written as a surrogate pair is a single token).
 *
 * <p>{@link #fit} builds the vocabulary from training text: its distinct code points sorted by
 * value, so the same text always gives the same ids. Under {@link UnknownPolicy#REPLACE} the
 * reserved symbol {@value #UNKNOWN} takes id 0 and the code points follow from id 1; it decodes to
 * U+FFFD.
 *
 * <pre>{@code
 * CharTokenizer tok = CharTokenizer.fit("hello", UnknownPolicy.ERROR);  // e h l o -> 0 1 2 3
 * int[] ids = tok.encode("hole");                                       // [1, 3, 2, 0]
 * tok.decode(ids);                                                      // "hole"
 * CharTokenizer same = CharTokenizer.restore(tok.vocabulary().symbols(), tok.unknownPolicy());
 * }</pre>
 *
 * <p>Offsets in {@link UnknownSymbolException} are UTF-16 indices into the encoded text.
 */
public final class CharTokenizer implements Tokenizer {

    /** The reserved symbol for unknown characters under {@link UnknownPolicy#REPLACE}; always id 0. */
    public static final String UNKNOWN = "<unk>";

    private static final int BMP = 0x10000;
    private static final int REPLACEMENT_CHARACTER = 0xFFFD;

    private final Vocabulary vocabulary;
    private final UnknownPolicy policy;
    // Encoding is the hot path on megabyte corpora: a flat table for the Basic Multilingual Plane
    // avoids boxing; the rare supplementary code points (emoji, historic scripts) go through a map.
    private final int[] bmpIds;
    private final Map<Integer, Integer> supplementaryIds;
    // id -> code point it decodes to (U+FFFD for <unk>).
    private final int[] codePoints;

    private CharTokenizer(Vocabulary vocabulary, UnknownPolicy policy) {
        this.vocabulary = vocabulary;
        this.policy = policy;
        this.bmpIds = new int[BMP];
        Arrays.fill(bmpIds, -1);
        this.supplementaryIds = new HashMap<>();
        this.codePoints = new int[vocabulary.size()];
        for (int id = 0; id < vocabulary.size(); id++) {
            String s = vocabulary.symbol(id);
            if (policy == UnknownPolicy.REPLACE && id == 0) {
                codePoints[id] = REPLACEMENT_CHARACTER;
                continue;
            }
            int cp = s.codePointAt(0);
            codePoints[id] = cp;
            if (cp < BMP) {
                bmpIds[cp] = id;
            } else {
                supplementaryIds.put(cp, id);
            }
        }
    }

    /**
     * Builds a tokenizer whose vocabulary is the distinct code points of {@code trainText}, sorted by
     * code point value (preceded by {@value #UNKNOWN} under {@link UnknownPolicy#REPLACE}).
     *
     * @throws IllegalArgumentException if the text is empty
     */
    public static CharTokenizer fit(CharSequence trainText, UnknownPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (trainText.length() == 0) {
            throw new IllegalArgumentException("cannot fit a char tokenizer on empty text");
        }
        BitSet seen = new BitSet(Character.MAX_CODE_POINT + 1);
        for (int i = 0, n = trainText.length(); i < n; ) {
            int cp = Character.codePointAt(trainText, i);
            seen.set(cp);
            i += Character.charCount(cp);
        }
        List<String> symbols = new ArrayList<>(seen.cardinality() + 1);
        if (policy == UnknownPolicy.REPLACE) {
            symbols.add(UNKNOWN);
        }
        for (int cp = seen.nextSetBit(0); cp >= 0; cp = seen.nextSetBit(cp + 1)) {
            symbols.add(new String(Character.toChars(cp)));
        }
        return new CharTokenizer(Vocabulary.of(symbols), policy);
    }

    /**
     * Rebuilds a tokenizer from a saved vocabulary, keeping its ids.
     *
     * @throws IllegalArgumentException if a symbol is not exactly one code point, or {@value #UNKNOWN}
     *     is missing from id 0 under REPLACE or present under another policy, or a symbol repeats
     */
    public static CharTokenizer restore(List<String> symbols, UnknownPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        boolean replace = policy == UnknownPolicy.REPLACE;
        if (replace && (symbols.isEmpty() || !UNKNOWN.equals(symbols.get(0)))) {
            throw new IllegalArgumentException("char vocabulary with unknown policy 'replace' must have \""
                    + UNKNOWN + "\" at id 0");
        }
        for (int id = replace ? 1 : 0; id < symbols.size(); id++) {
            String s = symbols.get(id);
            if (UNKNOWN.equals(s)) {
                throw new IllegalArgumentException("char vocabulary has \"" + UNKNOWN + "\" at id " + id
                        + "; it is only allowed at id 0 with unknown policy 'replace' (policy is '" + policy.id() + "')");
            }
            if (s == null || s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
                throw new IllegalArgumentException("char vocabulary symbol at id " + id + " (\"" + s
                        + "\") is not exactly one code point");
            }
        }
        return new CharTokenizer(Vocabulary.of(symbols), policy);
    }

    @Override
    public int[] encode(CharSequence text) {
        int n = text.length();
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < n; ) {
            char c = text.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(i + 1));
            }
            int id = idOf(cp);
            if (id < 0) {
                switch (policy) {
                    case ERROR -> throw unknown(cp, i);
                    case REPLACE -> id = 0;
                    case SKIP -> { }
                }
            }
            if (id >= 0) {
                out[k++] = id;
            }
            i += Character.charCount(cp);
        }
        return k == n ? out : Arrays.copyOf(out, k);
    }

    @Override
    public String decode(int[] ids, int off, int len) {
        Objects.checkFromIndexSize(off, len, ids.length);
        StringBuilder sb = new StringBuilder(len);
        for (int i = off; i < off + len; i++) {
            int id = ids[i];
            if (id < 0 || id >= codePoints.length) {
                throw new IllegalArgumentException("token id " + id + " at index " + i
                        + " is outside the vocabulary [0, " + codePoints.length + ")");
            }
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }

    @Override
    public long countUnknown(CharSequence text) {
        long unknown = 0;
        for (int i = 0, n = text.length(); i < n; ) {
            int cp = Character.codePointAt(text, i);
            if (idOf(cp) < 0) {
                unknown++;
            }
            i += Character.charCount(cp);
        }
        return unknown;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public String type() {
        return "char";
    }

    @Override
    public UnknownPolicy unknownPolicy() {
        return policy;
    }

    @Override
    public int unknownId() {
        return policy == UnknownPolicy.REPLACE ? 0 : -1;
    }

    @Override
    public String toString() {
        return "CharTokenizer(size=" + vocabulary.size() + ", unknown=" + policy.id() + ")";
    }

    private int idOf(int cp) {
        return cp < BMP ? bmpIds[cp] : supplementaryIds.getOrDefault(cp, -1);
    }

    private static UnknownSymbolException unknown(int cp, int offset) {
        String symbol = new String(Character.toChars(cp));
        String message = String.format("character '%s' (U+%04X) at offset %d is not in the vocabulary",
                printable(cp, symbol), cp, offset);
        return new UnknownSymbolException(message, symbol, offset);
    }

    /** Keeps the message on one line: control characters are shown escaped. */
    private static String printable(int cp, String symbol) {
        return switch (cp) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                    ? String.format("\\u%04X", cp) : symbol;
        };
    }
}
