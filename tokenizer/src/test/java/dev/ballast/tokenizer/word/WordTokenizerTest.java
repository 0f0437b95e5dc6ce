package dev.ballast.tokenizer.word;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordTokenizerTest {

    private static final AnalyzerSpec WS = AnalyzerSpec.parse("whitespace");

    @Test
    void vocabularyIsSpecialsThenFrequencyThenLexicographic() {
        WordTokenizer tok = WordTokenizer.fit(WS, "b a c a\nb d\n", 1, 0);
        assertEquals(List.of("<unk>", "<eos>", "a", "b", "c", "d"), tok.vocabulary().symbols());
    }

    @Test
    void minFrequencyAndMaxSizeCutTheRareWords() {
        String text = "a a a b b c\n";
        assertEquals(List.of("<unk>", "<eos>", "a", "b"), WordTokenizer.fit(WS, text, 2, 0).vocabulary().symbols());
        assertEquals(List.of("<unk>", "<eos>", "a"), WordTokenizer.fit(WS, text, 1, 3).vocabulary().symbols());
    }

    @Test
    void vocabularyComesOnlyFromTheTrainingRange() {
        WordStream words = WordStream.read(WS, "a b\nc d\n");
        WordTokenizer tok = WordTokenizer.fit(WS, words, 0, 3, 1, 0); // "a b <eos>"
        assertEquals(List.of("<unk>", "<eos>", "a", "b"), tok.vocabulary().symbols());
        assertArrayEquals(new int[] {0, 0, 1}, tok.map(words, 3, 6));
        assertEquals(2, tok.countUnknown(words, 3, 6));
        assertEquals(0, tok.countUnknown(words, 0, 3));
    }

    @Test
    void unknownWordsEncodeToUnkAndAreCounted() {
        WordTokenizer tok = WordTokenizer.fit(WS, "a b\n", 1, 0);
        assertArrayEquals(new int[] {0, 0, 1}, tok.encode("zebra quokka\n"));
        assertEquals(2, tok.countUnknown("zebra a quokka\n"));
    }

    @Test
    void literalUnkAndEosInTheTextAreTheSpecialSymbols() {
        WordTokenizer tok = WordTokenizer.fit(WS, "x <unk> y\n", 1, 0);
        assertArrayEquals(new int[] {0, 1}, tok.encode("<unk> <eos>"));
        assertEquals(3 + 1, tok.vocabulary().size() - 0); // <unk> <eos> x y
    }

    @Test
    void lmPresetReadsLiteralUnkAndEosAsTheSpecialSymbols() {
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), "x <unk> y\n", 1, 0);
        assertEquals(List.of("<unk>", "<eos>", "x", "y"), tok.vocabulary().symbols());
        assertArrayEquals(new int[] {2, 0, 3, 1, 1}, tok.encode("x <unk> y <eos>\n"));
    }

    @Test
    void textStartsAfterTheEndOfLineSymbol() {
        WordTokenizer tok = WordTokenizer.fit(WS, "a\n", 1, 0);
        assertEquals(1, tok.startId());
        assertArrayEquals(new int[] {1}, tok.startOfText());
    }

    @Test
    void readerEncodingMatchesStringEncodingAcrossChunkBoundaries() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            sb.append("w").append(i % 97).append(i % 13 == 0 ? ".\r\n" : " ");
        }
        String text = sb.toString();
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), text, 1, 0);
        assertArrayEquals(tok.encode(text), tok.encode(new StringReader(text)));
        assertEquals(0, tok.countUnknown(text));
    }

    @Test
    void restoreKeepsIdsAndAnalyzer() {
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), "Hi, you.\nYou!\n", 1, 0);
        WordTokenizer back = WordTokenizer.restore(tok.analyzerSpec().spec(), tok.vocabulary().symbols());
        assertEquals(tok, back);
        assertArrayEquals(tok.encode("you, Hi!\n"), back.encode("you, Hi!\n"));
    }

    @Test
    void restoreRejectsAVocabularyWithoutTheSpecials() {
        assertThrows(IllegalArgumentException.class, () -> WordTokenizer.restore("lm", List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> WordTokenizer.restore("nope", List.of("<unk>", "<eos>")));
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> WordTokenizer.fit(WS, "a\n", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> WordTokenizer.fit(WS, "a\n", 1, 2));
    }

    @Test
    void benchmarkCountsTheWordsOfAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("c.txt");
        java.nio.file.Files.writeString(f, "One, two.\nthree\n");
        TokenizationBenchmark.Result r = TokenizationBenchmark.run(f, AnalyzerSpec.defaults(), 1);
        assertEquals(7, r.tokens()); // One , two . <eos> three <eos>
        assertEquals(16, r.bytes());
        assertEquals(6, r.types());
    }
}
