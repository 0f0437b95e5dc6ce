package dev.ballast.tokenizer.word;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnalyzerSpecTest {

    private static List<String> words(String spec, String text) {
        List<String> out = new ArrayList<>();
        WordStream.forEachWord(AnalyzerSpec.parse(spec), new java.io.StringReader(text), out::add);
        return out;
    }

    @Test
    void lmPresetKeepsPunctuationCaseAndContractions() {
        assertEquals(List.of("ROMEO", ":", "Don't", "stop", ",", "Juliet", "!", "<eos>"),
                words("lm", "ROMEO: Don't stop, Juliet!\n"));
    }

    @Test
    void lmKeepsTheCorpusSpecialWordsWhole() {
        // Penn Treebank writes rare words as <unk>; a literal <eos> is the end-of-line symbol.
        assertEquals(List.of("the", "<unk>", "rose", "<eos>", "N", "<eos>"),
                words("lm", "the <unk> rose <eos> N\n"));
        assertEquals(List.of("a", "<unk>", "b", "<", "<eos>", ">", "<", "UNK", ">", "<", "unk", "<", "eos", "-", ">"),
                words("lm", "a<unk>b <<eos>> <UNK> <unk <eos->"));
    }

    @Test
    void lmTokenizerMatchesItsRegularExpressionDefinition() {
        String regex = "tokenizer=pattern,pattern=[\\p{L}\\p{N}]+(?:['\u2019][\\p{L}\\p{N}]+)*\\|[^\\p{L}\\p{N}\\s],group=0";
        String text = "ROMEO: O'er the 'tis, king\u2019s (\"3rd\") -- don't! a'b' 12.5% caf\u00e9 \u00bfQu\u00e9? x'\n\tend\n";
        assertEquals(words(regex, text), words("lm", text));
    }

    @Test
    void lmTokenizerMatchesThePatternItsModelsCarry() {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(LmRules.PATTERN);
        java.util.Random r = new java.util.Random(7);
        String[] pieces = {"<unk>", "<eos>", "<unk", "eos>", "don't", "o'er", "king\u2019s", "a'", "'b", "12.5", "x''y",
            "cafe\u0301", "\u0301", "\u00a0", "\u2028", "\u3000", "\u001f", "\u0085", "\ufeff", "\ud83d\ude00", "\u0915\u093f",
            "\u00bd", "\u2163", " ", "\t", "\r", "-"};
        for (int line = 0; line < 2000; line++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(12);
            for (int i = 0; i < len; i++) {
                if (r.nextBoolean()) {
                    sb.append(pieces[r.nextInt(pieces.length)]);
                } else { // any code point but a line break or a lone surrogate
                    int cp;
                    do {
                        cp = r.nextInt(4) == 0 ? r.nextInt(Character.MAX_CODE_POINT + 1) : r.nextInt(0x3000);
                    } while (cp == '\n' || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE));
                    sb.appendCodePoint(cp);
                }
            }
            String text = sb.toString();
            List<String> expected = new ArrayList<>();
            java.util.regex.Matcher m = pattern.matcher(text);
            while (m.find()) {
                expected.add(m.group());
            }
            assertEquals(expected, words("lm", text), () -> "line " + text.codePoints()
                    .mapToObj(c -> String.format("U+%04X", c)).toList());
        }
    }

    @Test
    void lmTokenizerIsAvailableInCustomChains() {
        assertEquals(List.of("don't", ",", "stop", "<eos>"), words("tokenizer=ballastLm|filter=lowercase", "Don't, STOP\n"));
    }

    @Test
    void whitespacePresetSplitsOnSpacesOnly() {
        assertEquals(List.of("abc", "'s", "<unk>", "N", "<eos>"), words("whitespace", " abc 's <unk> N \n"));
    }

    @Test
    void standardPresetLowercasesAndDropsPunctuation() {
        assertEquals(List.of("hello", "world"), words("standard", "Hello, World!"));
    }

    @Test
    void classicSimpleAndEnglishPresetsDifferAsLuceneDefines() {
        assertEquals(List.of("o", "neil", "s", "mail"), words("simple", "O'Neil's mail"));
        assertEquals(List.of("o'neil", "mail"), words("classic", "O'Neil's mail")); // possessive dropped
        assertEquals(List.of("run", "fast"), words("english", "the running is fast")); // stop words, stems
    }

    @Test
    void languagePresetStemsFrench() {
        assertEquals(List.of("chat", "noir"), words("french", "Les chats noirs"));
    }

    static List<String> presets() {
        return AnalyzerSpec.presetNames();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetBuildsAndAnalyzes(String preset) {
        List<String> w = words(preset, "Alpha beta 123\n");
        assertEquals("<eos>", w.get(w.size() - 1), preset);
        assertTrue(w.size() >= 2, preset + " produced " + w);
    }

    @Test
    void customChainAppliesTokenizerThenFiltersInOrder() {
        assertEquals(List.of("run", "dog"),
                words("tokenizer=standard|filter=lowercase|filter=stop|filter=porterstem", "The Running Dogs"));
    }

    @Test
    void customChainPassesParametersAndCharFilters() {
        assertEquals(List.of("ab", "cd"),
                words("charfilter=htmlstrip|tokenizer=pattern,pattern=[a-z]+,group=0", "<b>ab</b>, CD cd"));
        assertEquals(List.of("a,b", "c"), words("tokenizer=pattern,pattern=[a-z\\,]+,group=0", "a,b c"));
    }

    @Test
    void unknownPresetIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnalyzerSpec.parse("klingon"));
        assertTrue(e.getMessage().startsWith("unknown analyzer 'klingon'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void invalidSpecsAreRejectedNamingThePart() {
        assertMessage("tokenizer=standard|filtr=lowercase", "unknown key 'filtr'");
        assertMessage("tokenizer=nosuch", "unknown tokenizer 'nosuch'");
        assertMessage("tokenizer=standard|filter=nosuch", "unknown filter 'nosuch'");
        assertMessage("tokenizer=standard|filter=lowercase,bogus=1", "filter 'lowercase'");
        assertMessage("tokenizer=standard|filter=lowercase,bogus=1", "bogus");
        assertMessage("filter=lowercase", "has no tokenizer");
        assertMessage("tokenizer=standard|tokenizer=whitespace", "more than one tokenizer");
        assertMessage("tokenizer=standard|filter", "not key=value");
    }

    private static void assertMessage(String spec, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnalyzerSpec.parse(spec));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
