package dev.ballast.tokenizer.word;

import java.util.List;

/**
 * Turns a sequence of word tokens back into readable text.
 *
 * <p>Rules, applied to each token given the previous ones (a line break resets the state):
 * <ul>
 *   <li>{@value WordTokenizer#END_OF_LINE} becomes a line break; nothing is put before it.</li>
 *   <li>The first token of a line gets no space before it.</li>
 *   <li>Closing punctuation {@code . , ; : ! ? ) ] } %} and the ellipsis {@code …} attach to the
 *       previous token; so do contraction pieces as Penn Treebank splits them ({@code 's}, {@code n't},
 *       {@code 're}, {@code 've}, {@code 'll}, {@code 'd}, {@code 'm}).</li>
 *   <li>Opening brackets {@code ( [ {} get a space before and none after.</li>
 *   <li>Quotes {@code "} and {@code '} alternate: an odd one (in the line) opens (space before,
 *       none after), an even one closes (attaches to the previous token).</li>
 *   <li>A hyphen or dash made of {@code -} attaches to both neighbours ({@code well-known}).</li>
 *   <li>Everything else is separated by one space.</li>
 * </ul>
 * So text whose spacing follows these rules (one space between words, punctuation written the
 * usual English way) survives {@code encode} then {@code decode} unchanged.
 *
 * <pre>{@code
 * Detokenizer.join(List.of("Hello", ",", "world", "!", "<eos>"));  // "Hello, world!\n"
 * }</pre>
 *
 * <p>An instance is the streaming form used while generating: {@link #next} returns the text to
 * append for one more token. Not thread-safe.
 */
public final class Detokenizer {

    private static final String CLOSING = ".,;:!?)]}%\u2026";
    private static final String OPENING = "([{";
    private static final List<String> CONTRACTIONS = List.of("'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "'S", "N'T");

    private boolean lineStart = true;
    private boolean glueNext;      // the previous token asked for no space after it
    private int quotes;            // quotes seen in this line, to tell opening from closing ones

    /** Joins a whole token sequence with the rules above. */
    public static String join(List<String> tokens) {
        Detokenizer d = new Detokenizer();
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            sb.append(d.next(t));
        }
        return sb.toString();
    }

    /** The text to append for {@code token}: possibly a space, then the token (or a line break). */
    public String next(String token) {
        if (token.equals(WordTokenizer.END_OF_LINE)) {
            lineStart = true;
            glueNext = false;
            quotes = 0;
            return "\n";
        }
        boolean spaceBefore = !lineStart && !glueNext;
        glueNext = false;
        if (token.length() == 1 && CLOSING.indexOf(token.charAt(0)) >= 0) {
            spaceBefore = false;
        } else if (token.length() == 1 && OPENING.indexOf(token.charAt(0)) >= 0) {
            glueNext = true;
        } else if (token.equals("\"") || token.equals("'")) {
            if (quotes++ % 2 == 0) {
                glueNext = true;
            } else {
                spaceBefore = false;
            }
        } else if (isDash(token)) {
            spaceBefore = false;
            glueNext = true;
        } else if (CONTRACTIONS.contains(token)) {
            spaceBefore = false;
        }
        lineStart = false;
        return spaceBefore ? " " + token : token;
    }

    private static boolean isDash(String token) {
        if (token.isEmpty()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) != '-') {
                return false;
            }
        }
        return true;
    }
}
