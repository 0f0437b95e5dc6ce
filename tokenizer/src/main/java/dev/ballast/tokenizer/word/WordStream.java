package dev.ballast.tokenizer.word;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * A text analyzed into words, each word type interned once: the stream is an id array over
 * {@link #types()} in first-seen order (not yet a vocabulary). Lines are analyzed one at a time
 * and every line break ({@code \n}, with an optional {@code \r} before it) adds
 * {@value WordTokenizer#END_OF_LINE}; a last line without a line break gets none.
 *
 * <p>Reading is streaming: the text comes from a {@link Reader} in 64 KB chunks, so memory is the
 * id array, the distinct words and the longest line, never the whole text.
 *
 * <pre>{@code
 * WordStream s = WordStream.read(AnalyzerSpec.parse("whitespace"), new StringReader("a b a\n"));
 * s.types();   // [a, b, <eos>]
 * s.ids();     // [0, 1, 0, 2, ...] (first s.length() entries)
 * }</pre>
 */
public final class WordStream {

    private static final int CHUNK = 1 << 16;

    private final List<String> types;
    private final int[] ids;    // valid in [0, length); may have spare capacity (no final trimming copy)
    private final int length;

    private WordStream(List<String> types, int[] ids, int length) {
        this.types = types;
        this.ids = ids;
        this.length = length;
    }

    /** Analyzes everything {@code reader} yields (the caller closes it). */
    public static WordStream read(AnalyzerSpec spec, Reader reader) {
        Interner interner = new Interner();
        IntArray ids = new IntArray(CHUNK);
        forEachWord(spec, reader, w -> ids.add(interner.id(w)));
        return new WordStream(List.copyOf(interner.types), ids.array(), ids.size());
    }

    public static WordStream read(AnalyzerSpec spec, CharSequence text) {
        return read(spec, new StringReader(text.toString()));
    }

    /** The distinct words in first-seen order; id i of {@link #ids()} is {@code types().get(i)}. */
    public List<String> types() {
        return types;
    }

    /**
     * The analyzed text as ids into {@link #types()}, valid in {@code [0, length())} (the array may be
     * longer); the live array, do not modify.
     */
    public int[] ids() {
        return ids;
    }

    /** Number of words, end-of-line markers included. */
    public int length() {
        return length;
    }

    /** Receives words one by one. */
    @FunctionalInterface
    public interface WordSink {
        void accept(String word);
    }

    /** Analyzes {@code reader} line by line, giving each word (and {@value WordTokenizer#END_OF_LINE}) to {@code sink}. */
    public static void forEachWord(AnalyzerSpec spec, Reader reader, WordSink sink) {
        try (Analyzer analyzer = spec.analyzer()) {
            forEachWord(analyzer, reader, sink);
        }
    }

    /** Like {@link #forEachWord(AnalyzerSpec, Reader, WordSink)} with an analyzer the caller owns (and may reuse). */
    public static void forEachWord(Analyzer analyzer, Reader reader, WordSink sink) {
        try {
            char[] buf = new char[CHUNK];
            StringBuilder line = new StringBuilder();
            int n;
            while ((n = reader.read(buf)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line.append(buf, start, i - start);
                        analyzeLine(analyzer, line, sink);
                        sink.accept(WordTokenizer.END_OF_LINE);
                        line.setLength(0);
                        start = i + 1;
                    }
                }
                line.append(buf, start, n - start);
            }
            if (line.length() > 0) {
                analyzeLine(analyzer, line, sink);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void analyzeLine(Analyzer analyzer, StringBuilder line, WordSink sink) throws IOException {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
            line.setLength(len - 1);
        }
        if (line.length() == 0) {
            return;
        }
        try (TokenStream ts = analyzer.tokenStream("text", line.toString())) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (term.length() > 0) {
                    sink.accept(term.toString());
                }
            }
            ts.end();
        }
    }

    /** Word -> first-seen id. */
    private static final class Interner {
        final Map<String, Integer> ids = new HashMap<>();
        final List<String> types = new ArrayList<>();

        int id(String w) {
            Integer id = ids.get(w);
            if (id == null) {
                id = types.size();
                ids.put(w, id);
                types.add(w);
            }
            return id;
        }
    }
}
