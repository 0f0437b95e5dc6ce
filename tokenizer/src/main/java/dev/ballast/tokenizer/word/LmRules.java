package dev.ballast.tokenizer.word;

import java.util.List;

/**
 * The splitting rules of the {@code lm} preset ({@link LmTokenizer}) written out for other runtimes:
 * in words, and as one regular expression whose matches, found left to right in each line, are the
 * tokens. A saved model carries them (model.json's {@code tokenizer.rules}, and so the ONNX
 * {@code ballast.tokenizer} metadata), so a tokenizer outside Java can reproduce the ids;
 * {@code scripts/lm_tokenizer.py} and {@code scripts/lm_tokenizer.js} do. Tests hold the hand-written
 * tokenizer and the expression to the same tokens.
 */
public final class LmRules {

    /**
     * The version of these rules. Version 1, the rules of models saved without a rules block, split
     * {@code <unk>} and {@code <eos>} written in the text into {@code <}, {@code unk}, {@code >}.
     */
    public static final int VERSION = 2;

    private static final String WORD_START = "\\p{L}\\p{Nd}\\p{Nl}\\p{No}";

    /**
     * The tokens of one line are the matches of this expression, left to right; what lies between
     * them is white space. It uses only {@code \p{..}} general categories, escapes, a lookahead and
     * alternation, so java.util.regex and JavaScript ({@code u} flag) read it as is.
     */
    public static final String PATTERN = "<unk>|<eos>"
            + "|[" + WORD_START + "](?:[" + WORD_START + "\\p{Mn}\\p{Mc}]|['\\u2019](?=[" + WORD_START + "]))*"
            + "|[^\\p{Zs}\\p{Zl}\\p{Zp}\\t\\n\\u000B\\f\\r\\x1C-\\x1F]";

    /** How to apply {@link #PATTERN} in a few runtimes. */
    public static final String PATTERN_USAGE = "Apply to each line (the text cut at \"\\n\"): every match, found left to"
            + " right without overlap, is a token; the characters between matches are white space. Alternatives are"
            + " tried in order and repetition is greedy. JavaScript: line.matchAll(new RegExp(pattern, 'gu'));"
            + " Java: java.util.regex.Pattern.compile(pattern); Python's re has no \\p{..}: replace each \\p{X} by"
            + " the code points whose unicodedata.category starts with X.";

    /** The rules in words; together with {@link #PATTERN} they say the same thing. */
    public static final List<String> DESCRIPTION = List.of(
            "Lines: the text is cut at every \"\\n\". Each line is tokenized on its own, and a line that a \"\\n\""
                    + " ended is followed by the line-end token \"<eos>\" (an empty line gives just \"<eos>\"); a last"
                    + " line without \"\\n\" gets none.",
            "White space separates tokens and is dropped: the code points of Unicode general categories Zs, Zl"
                    + " and Zp, and U+0009-U+000D and U+001C-U+001F (so a \"\\r\" before \"\\n\" is dropped too).",
            "Within a line, from left to right, the next token is the first of these that matches at the current"
                    + " position: (1) \"<unk>\" or \"<eos>\" written exactly so (lowercase), one token each, which are"
                    + " the special symbols themselves; (2) a word: a letter or number (categories L, Nd, Nl, No)"
                    + " followed by as many as possible of letters, numbers, combining marks (Mn, Mc), and apostrophes"
                    + " (U+0027 or U+2019) that are followed by a letter or number, so \"don't\", \"o'er\" and"
                    + " \"king\u2019s\" are one word each, while \"12.5\" is \"12\" \".\" \"5\" and a final \"'\" is a token"
                    + " of its own; (3) any other single code point (punctuation, symbols, a combining mark that no word"
                    + " precedes, control characters).",
            "Nothing is lowercased, normalized (no NFC or NFKC) or stemmed.",
            "Ids: a token's id is its index in symbols; a token that is not in symbols gets unknown_id.");

    private LmRules() {
    }

    /**
     * The Unicode version whose general categories the running Java uses (and so the categories the
     * rules were applied with), or null for a Java version this table does not know.
     */
    public static String unicodeVersion() {
        return switch (Runtime.version().feature()) {
            case 17, 18 -> "13.0";
            case 19 -> "14.0";
            case 20, 21 -> "15.0";
            case 22, 23 -> "15.1";
            case 24 -> "16.0";
            default -> null;
        };
    }
}
