package dev.ballast.tokenizer.word;

import java.io.IOException;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The Lucene tokenizer of the {@code lm} preset: a word is a run of letters, digits and combining
 * marks, with inner apostrophes ({@code don't}, {@code o'er}, {@code king’s}); every other
 * non-space character is a token of its own, so punctuation survives for the language model.
 * {@value WordTokenizer#UNKNOWN} and {@value WordTokenizer#END_OF_LINE} written in the text (Penn
 * Treebank writes rare words as {@code <unk>}) stay whole, one token each. Nothing is lowercased or
 * stemmed.
 *
 * <p>Hand-written rather than a regular expression ({@code PatternTokenizer}) because it is about
 * ten times faster, and tokenization speed matters on large corpora. Available in custom chains as
 * {@code tokenizer=ballastLm}.
 */
public final class LmTokenizer extends Tokenizer {

    private static final String[] SPECIALS = {WordTokenizer.UNKNOWN, WordTokenizer.END_OF_LINE};

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offsets = addAttribute(OffsetAttribute.class);
    private final StringBuilder text = new StringBuilder();
    private final char[] buf = new char[4096];
    private int pos;

    @Override
    public void reset() throws IOException {
        super.reset();
        text.setLength(0);
        int n;
        while ((n = input.read(buf)) > 0) {
            text.append(buf, 0, n);
        }
        pos = 0;
    }

    @Override
    public boolean incrementToken() {
        clearAttributes();
        int n = text.length();
        while (pos < n) {
            int cp = Character.codePointAt(text, pos);
            if (!isSpace(cp)) {
                break;
            }
            pos += Character.charCount(cp);
        }
        if (pos >= n) {
            return false;
        }
        int start = pos;
        int cp = Character.codePointAt(text, pos);
        pos += Character.charCount(cp);
        int special = cp == '<' ? specialAt(start) : 0;
        if (special > 0) {
            pos = start + special;
        } else if (isWordChar(cp)) {
            while (pos < n) {
                int c = Character.codePointAt(text, pos);
                if (isWordChar(c) || isMark(c)) {
                    pos += Character.charCount(c);
                } else if ((c == '\'' || c == '\u2019') && pos + 1 < n && isWordChar(Character.codePointAt(text, pos + 1))) {
                    pos++; // an inner apostrophe joins two word parts
                } else {
                    break;
                }
            }
        }
        term.setEmpty().append(text, start, pos);
        offsets.setOffset(correctOffset(start), correctOffset(pos));
        return true;
    }

    @Override
    public void end() throws IOException {
        super.end();
        int end = correctOffset(text.length());
        offsets.setOffset(end, end);
    }

    /** The length of the special word ({@code <unk>} or {@code <eos>}) written at {@code at}, or 0. */
    private int specialAt(int at) {
        for (String s : SPECIALS) {
            int n = s.length();
            if (at + n <= text.length() && s.contentEquals(text.subSequence(at, at + n))) {
                return n;
            }
        }
        return 0;
    }

    static boolean isWordChar(int cp) {
        if (Character.isLetter(cp)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    private static boolean isMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }
}
