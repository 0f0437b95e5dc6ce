package dev.ballast.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    // U+1F600 (grinning face) and U+1D11E (G clef) are outside the BMP: two UTF-16 chars each.
    private static final String EMOJI = "\uD83D\uDE00";
    private static final String CLEF = "\uD834\uDD1E";

    @Test
    void textStartsAfterTheLineBreakWhenTheVocabularyHasOne() {
        CharTokenizer withBreak = CharTokenizer.fit("ab\n", UnknownPolicy.REPLACE); // <unk> \n a b
        assertEquals(1, withBreak.startId());
        assertArrayEquals(new int[] {1}, withBreak.startOfText());
        CharTokenizer without = CharTokenizer.fit("ab", UnknownPolicy.ERROR);
        assertEquals(-1, without.startId());
        assertArrayEquals(new int[] {0}, without.startOfText());
    }

    @Test
    void vocabularyIsDistinctCodePointsSortedByValue() {
        CharTokenizer tok = CharTokenizer.fit("banana!", UnknownPolicy.ERROR);
        assertEquals(List.of("!", "a", "b", "n"), tok.vocabulary().symbols());
        assertEquals("char", tok.type());
        assertEquals(-1, tok.unknownId());
    }

    @Test
    void sameCharactersInAnyOrderGiveTheSameVocabulary() {
        assertEquals(CharTokenizer.fit("zyx" + EMOJI + "é", UnknownPolicy.SKIP).vocabulary(),
                CharTokenizer.fit("é" + EMOJI + "xyz", UnknownPolicy.SKIP).vocabulary());
    }

    @Test
    void surrogatePairIsOneToken() {
        CharTokenizer tok = CharTokenizer.fit("a" + EMOJI + CLEF, UnknownPolicy.ERROR);
        // Sorted by code point: 'a' (0x61) < U+1D11E < U+1F600.
        assertEquals(List.of("a", CLEF, EMOJI), tok.vocabulary().symbols());
        int[] ids = tok.encode(EMOJI + "a" + CLEF + EMOJI);
        assertArrayEquals(new int[] {2, 0, 1, 2}, ids);
    }

    @Test
    void roundTripsMixedScriptsAndEmoji() {
        String text = "Hello, Жизнь! 日本語 " + EMOJI + CLEF + "\n\ttab";
        CharTokenizer tok = CharTokenizer.fit(text, UnknownPolicy.ERROR);
        assertEquals(text, tok.decode(tok.encode(text)));
        assertEquals(text.codePointCount(0, text.length()), tok.encode(text).length);
    }

    @Test
    void decodesASlice() {
        CharTokenizer tok = CharTokenizer.fit("abc", UnknownPolicy.ERROR);
        assertEquals("bc", tok.decode(new int[] {0, 1, 2, 0}, 1, 2));
    }

    @Test
    void errorPolicyNamesCharacterCodePointAndOffset() {
        CharTokenizer tok = CharTokenizer.fit("abc ", UnknownPolicy.ERROR);
        UnknownSymbolException e = assertThrows(UnknownSymbolException.class, () -> tok.encode("abc Ж"));
        assertEquals("character 'Ж' (U+0416) at offset 4 is not in the vocabulary", e.getMessage());
        assertEquals("Ж", e.symbol());
        assertEquals(4, e.offset());
    }

    @Test
    void errorMessageEscapesControlCharacters() {
        CharTokenizer tok = CharTokenizer.fit("ab", UnknownPolicy.ERROR);
        UnknownSymbolException e = assertThrows(UnknownSymbolException.class, () -> tok.encode("a\nb"));
        assertEquals("character '\\n' (U+000A) at offset 1 is not in the vocabulary", e.getMessage());
    }

    @Test
    void errorPolicyReportsSupplementaryCodePoint() {
        CharTokenizer tok = CharTokenizer.fit("ab", UnknownPolicy.ERROR);
        UnknownSymbolException e = assertThrows(UnknownSymbolException.class, () -> tok.encode("a" + EMOJI));
        assertTrue(e.getMessage().contains("(U+1F600) at offset 1"), e.getMessage());
    }

    @Test
    void skipPolicyDropsUnknownCharacters() {
        CharTokenizer tok = CharTokenizer.fit("ab", UnknownPolicy.SKIP);
        assertArrayEquals(new int[] {0, 1, 0}, tok.encode("aX" + EMOJI + "bYa"));
        assertEquals(3, tok.countUnknown("aX" + EMOJI + "bYa"));
    }

    @Test
    void replacePolicyReservesIdZeroForUnknown() {
        CharTokenizer tok = CharTokenizer.fit("ba", UnknownPolicy.REPLACE);
        assertEquals(List.of(CharTokenizer.UNKNOWN, "a", "b"), tok.vocabulary().symbols());
        assertEquals(0, tok.unknownId());
        assertArrayEquals(new int[] {1, 0, 2, 0}, tok.encode("a?b" + EMOJI));
    }

    @Test
    void unknownIdDecodesToReplacementCharacter() {
        CharTokenizer tok = CharTokenizer.fit("ab", UnknownPolicy.REPLACE);
        assertEquals("a\uFFFDb", tok.decode(tok.encode("a#b")));
    }

    @Test
    void countUnknownCountsCodePointsNotChars() {
        CharTokenizer tok = CharTokenizer.fit("abc", UnknownPolicy.ERROR);
        assertEquals(0, tok.countUnknown("cab"));
        assertEquals(2, tok.countUnknown(EMOJI + "a" + EMOJI));
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        CharTokenizer tok = CharTokenizer.fit("ab", UnknownPolicy.ERROR);
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {0, 2}));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
    }

    @Test
    void restoreKeepsTheSavedIds() {
        CharTokenizer fitted = CharTokenizer.fit("hello " + EMOJI, UnknownPolicy.REPLACE);
        CharTokenizer restored = CharTokenizer.restore(fitted.vocabulary().symbols(), UnknownPolicy.REPLACE);
        assertEquals(fitted.vocabulary(), restored.vocabulary());
        assertArrayEquals(fitted.encode("hole? " + EMOJI), restored.encode("hole? " + EMOJI));
        // A hand-ordered vocabulary is kept as given, not re-sorted.
        CharTokenizer custom = CharTokenizer.restore(List.of("z", "a"), UnknownPolicy.ERROR);
        assertArrayEquals(new int[] {1, 0}, custom.encode("az"));
    }

    @Test
    void restoreRejectsMultiCharacterSymbols() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharTokenizer.restore(List.of("a", "bc"), UnknownPolicy.ERROR));
        assertTrue(e.getMessage().contains("id 1") && e.getMessage().contains("\"bc\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.restore(List.of("a", ""), UnknownPolicy.SKIP));
    }

    @Test
    void restoreAcceptsSurrogatePairSymbol() {
        CharTokenizer tok = CharTokenizer.restore(List.of(EMOJI), UnknownPolicy.ERROR);
        assertArrayEquals(new int[] {0}, tok.encode(EMOJI));
    }

    @Test
    void restoreRequiresUnknownAtIdZeroExactlyUnderReplace() {
        assertThrows(IllegalArgumentException.class,
                () -> CharTokenizer.restore(List.of("a", "b"), UnknownPolicy.REPLACE));
        assertThrows(IllegalArgumentException.class,
                () -> CharTokenizer.restore(List.of("a", CharTokenizer.UNKNOWN), UnknownPolicy.REPLACE));
        assertThrows(IllegalArgumentException.class,
                () -> CharTokenizer.restore(List.of(CharTokenizer.UNKNOWN, "a"), UnknownPolicy.ERROR));
    }

    @Test
    void restoreRejectsDuplicates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharTokenizer.restore(List.of("a", "b", "a"), UnknownPolicy.SKIP));
        assertTrue(e.getMessage().contains("\"a\""), e.getMessage());
    }

    @Test
    void fitRejectsEmptyText() {
        assertThrows(IllegalArgumentException.class, () -> CharTokenizer.fit("", UnknownPolicy.ERROR));
    }

    @Test
    void encodesAMillionCharactersWithTheTableLookup() {
        StringBuilder sb = new StringBuilder(1_100_000);
        for (int i = 0; sb.length() < 1_000_000; i++) {
            sb.append((char) ('a' + i % 26)).append(i % 1000 == 0 ? EMOJI : "");
        }
        CharTokenizer tok = CharTokenizer.fit(sb, UnknownPolicy.ERROR);
        int[] ids = tok.encode(sb);
        assertEquals(sb.codePointCount(0, sb.length()), ids.length);
        assertEquals(sb.toString(), tok.decode(ids));
    }
}
