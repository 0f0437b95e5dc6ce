package dev.ballast.tokenizer.word;

import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.tokenizer.Vocabulary;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;

/**
 * A word-level tokenizer: a Lucene analyzer (see {@link AnalyzerSpec}) splits each line into words,
 * every line break becomes {@value #END_OF_LINE}, and words map to ids through a vocabulary fitted
 * on the training split only.
 *
 * <p>Vocabulary order is deterministic: {@value #UNKNOWN} (id 0), {@value #END_OF_LINE} (id 1),
 * then the training words with at least {@code minFreq} occurrences by frequency, most frequent
 * first, ties in lexicographic ({@link String#compareTo}) order, cut to {@code maxVocab} symbols in
 * all (0 = no limit). Words outside it encode to {@value #UNKNOWN}: the unknown policy is always
 * {@link UnknownPolicy#REPLACE}, so any prime text (even one entirely out of vocabulary) encodes.
 * A word spelled {@code <unk>} or {@code <eos>} in the text (as in Penn Treebank) is that symbol.
 *
 * <p>Decoding goes through the {@link Detokenizer} rules.
 *
 * <pre>{@code
 * WordStream words = WordStream.read(AnalyzerSpec.defaults(), "To be, or not to be.\n");
 * WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), words, 0, words.length(), 1, 0);
 * tok.decode(tok.encode("not to be.\n"));   // "not to be.\n"
 * }</pre>
 */
public final class WordTokenizer implements Tokenizer {

    /** Stands for every word outside the vocabulary; always id 0. */
    public static final String UNKNOWN = "<unk>";
    /** Marks a line break (end of sentence in line-per-sentence corpora); always id 1. */
    public static final String END_OF_LINE = "<eos>";

    private final AnalyzerSpec spec;
    private final Vocabulary vocabulary;
    // Lucene analyzers are thread-safe (per-thread token stream reuse) and costly to build: build once.
    private final Analyzer analyzer;

    private WordTokenizer(AnalyzerSpec spec, Vocabulary vocabulary) {
        this.spec = spec;
        this.vocabulary = vocabulary;
        this.analyzer = spec.analyzer();
    }

    /**
     * Fits the vocabulary on {@code words.ids()[from, to)} (the training split).
     *
     * @param minFreq  minimum count of a word to get its own id, at least 1
     * @param maxVocab most symbols in all, specials included; 0 for no limit, else at least 3
     */
    public static WordTokenizer fit(AnalyzerSpec spec, WordStream words, int from, int to, int minFreq, int maxVocab) {
        Objects.requireNonNull(spec, "spec");
        Objects.checkFromToIndex(from, to, words.length());
        checkLimits(minFreq, maxVocab);
        int[] ids = words.ids();
        long[] counts = new long[words.types().size()];
        for (int i = from; i < to; i++) {
            counts[ids[i]]++;
        }
        List<Integer> kept = new ArrayList<>();
        List<String> types = words.types();
        for (int t = 0; t < counts.length; t++) {
            String w = types.get(t);
            if (counts[t] >= minFreq && !w.equals(UNKNOWN) && !w.equals(END_OF_LINE)) {
                kept.add(t);
            }
        }
        kept.sort(Comparator.<Integer>comparingLong(t -> -counts[t]).thenComparing(types::get));
        int room = maxVocab == 0 ? kept.size() : Math.min(kept.size(), maxVocab - 2);
        List<String> symbols = new ArrayList<>(room + 2);
        symbols.add(UNKNOWN);
        symbols.add(END_OF_LINE);
        for (int i = 0; i < room; i++) {
            symbols.add(types.get(kept.get(i)));
        }
        return new WordTokenizer(spec, Vocabulary.of(symbols));
    }

    /** Fits on a whole text (convenience for small texts and tests). */
    public static WordTokenizer fit(AnalyzerSpec spec, CharSequence trainText, int minFreq, int maxVocab) {
        WordStream words = WordStream.read(spec, trainText);
        return fit(spec, words, 0, words.length(), minFreq, maxVocab);
    }

    /**
     * Rebuilds a saved tokenizer, keeping its ids.
     *
     * @throws IllegalArgumentException if the spec is invalid or the specials are not at ids 0 and 1
     */
    public static WordTokenizer restore(String spec, List<String> symbols) {
        if (symbols.size() < 2 || !UNKNOWN.equals(symbols.get(0)) || !END_OF_LINE.equals(symbols.get(1))) {
            throw new IllegalArgumentException("word vocabulary must start with \"" + UNKNOWN + "\", \"" + END_OF_LINE + "\"");
        }
        return new WordTokenizer(AnalyzerSpec.parse(spec), Vocabulary.of(symbols));
    }

    /** The ids of {@code words.ids()[from, to)} in this vocabulary (unknown words become 0). */
    public int[] map(WordStream words, int from, int to) {
        Objects.checkFromToIndex(from, to, words.length());
        int[] table = table(words);
        int[] ids = words.ids();
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            int id = table[ids[i]];
            out[i - from] = id < 0 ? 0 : id;
        }
        return out;
    }

    /** How many of {@code words.ids()[from, to)} are outside the vocabulary. */
    public long countUnknown(WordStream words, int from, int to) {
        Objects.checkFromToIndex(from, to, words.length());
        int[] table = table(words);
        int[] ids = words.ids();
        long n = 0;
        for (int i = from; i < to; i++) {
            if (table[ids[i]] < 0) {
                n++;
            }
        }
        return n;
    }

    private int[] table(WordStream words) {
        int[] table = new int[words.types().size()];
        for (int t = 0; t < table.length; t++) {
            table[t] = vocabulary.id(words.types().get(t));
        }
        return table;
    }

    @Override
    public int[] encode(CharSequence text) {
        return encode(new StringReader(text.toString()));
    }

    /** Encodes a text read in chunks; memory is the id array, not the text. The caller closes the reader. */
    public int[] encode(Reader reader) {
        IntArray ids = new IntArray(1024);
        WordStream.forEachWord(analyzer, reader, w -> {
            int id = vocabulary.id(w);
            ids.add(id < 0 ? 0 : id);
        });
        return ids.toArray();
    }

    @Override
    public long countUnknown(CharSequence text) {
        long[] n = new long[1];
        WordStream.forEachWord(analyzer, new StringReader(text.toString()), w -> {
            if (vocabulary.id(w) < 0) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Spacing and line breaks come from a {@link Detokenizer} that has seen the tokens before. */
    @Override
    public StreamDecoder streamDecoder() {
        Detokenizer words = new Detokenizer();
        return id -> words.next(vocabulary().symbol(id));
    }

    /** A text is read after an end of line ({@value #END_OF_LINE}, id 1): the word vocabulary has no {@code "\n"}. */
    @Override
    public int startId() {
        return endOfLineId();
    }

    @Override
    public String decode(int[] ids, int off, int len) {
        Objects.checkFromIndexSize(off, len, ids.length);
        Detokenizer d = new Detokenizer();
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            sb.append(d.next(symbolAt(ids, i)));
        }
        return sb.toString();
    }

    /** The words of {@code ids}, without detokenization. */
    public List<String> words(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            out.add(symbolAt(ids, i));
        }
        return out;
    }

    private String symbolAt(int[] ids, int i) {
        int id = ids[i];
        if (id < 0 || id >= vocabulary.size()) {
            throw new IllegalArgumentException("token id " + id + " at index " + i
                    + " is outside the vocabulary [0, " + vocabulary.size() + ")");
        }
        return vocabulary.symbol(id);
    }

    public AnalyzerSpec analyzerSpec() {
        return spec;
    }

    /** The id of {@value #END_OF_LINE}. */
    public int endOfLineId() {
        return 1;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public String type() {
        return "word";
    }

    @Override
    public UnknownPolicy unknownPolicy() {
        return UnknownPolicy.REPLACE;
    }

    @Override
    public int unknownId() {
        return 0;
    }

    static void checkLimits(int minFreq, int maxVocab) {
        if (minFreq < 1) {
            throw new IllegalArgumentException("min frequency must be at least 1, got " + minFreq);
        }
        if (maxVocab != 0 && maxVocab < 3) {
            throw new IllegalArgumentException("max vocabulary must be 0 (no limit) or at least 3, got " + maxVocab);
        }
    }

    @Override
    public String toString() {
        return "WordTokenizer(analyzer=" + spec + ", size=" + vocabulary.size() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordTokenizer w && w.spec.equals(spec) && w.vocabulary.equals(vocabulary);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {spec, vocabulary});
    }
}
