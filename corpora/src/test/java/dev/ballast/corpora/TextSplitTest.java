package dev.ballast.corpora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextSplitTest {

    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void cutsAtTheDocumentedIndices() {
        // n = 10: trainEnd = floor(0.8 * 10) = 8, validEnd = floor(0.9 * 10) = 9.
        TextSplit split = TextSplit.byFraction("abcdefghij", 0.1, 0.1);
        assertEquals(new TextSplit("abcdefgh", "i", "j"), split);
    }

    @Test
    void validFractionPointOneMatchesPythonIntOfPointNineN() {
        // Expected cuts from Python: [int(0.9 * n) for n in (10, 999, 4099, 12345, 1115394)]
        // == [9, 899, 3689, 11110, 1003854]  (1115394 is the length of tinyshakespeare).
        int[] lengths = {10, 999, 4099, 12345, 1115394};
        int[] cuts = {9, 899, 3689, 11110, 1003854};
        for (int i = 0; i < lengths.length; i++) {
            String text = "x".repeat(lengths[i]);
            TextSplit split = TextSplit.byFraction(text, 0.1, 0.0);
            assertEquals(cuts[i], split.train().length(), "n = " + lengths[i]);
            assertEquals(lengths[i] - cuts[i], split.valid().length(), "n = " + lengths[i]);
            assertEquals("", split.test());
        }
    }

    @Test
    void cutsFallOnCodePointBoundaries() {
        String text = EMOJI.repeat(10);
        TextSplit split = TextSplit.byFraction(text, 0.1, 0.1);
        assertEquals(EMOJI.repeat(8), split.train());
        assertEquals(EMOJI, split.valid());
        assertEquals(EMOJI, split.test());
    }

    @Test
    void zeroFractionsKeepEverythingForTraining() {
        assertEquals(new TextSplit("abc", "", ""), TextSplit.byFraction("abc", 0.0, 0.0));
    }

    @Test
    void rejectsFractionsOutsideTheRangeNamingTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextSplit.byFraction("abc", -0.1, 0.0));
        assertTrue(e.getMessage().startsWith("valid_fraction must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TextSplit.byFraction("abc", 0.1, 1.0));
        assertTrue(e.getMessage().startsWith("test_fraction must be in [0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TextSplit.byFraction("abc", Double.NaN, 0.0));
    }

    @Test
    void rejectsFractionsSummingToOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextSplit.byFraction("abcdef", 0.5, 0.5));
        assertTrue(e.getMessage().contains("valid_fraction + test_fraction"), e.getMessage());
    }

    @Test
    void tooSmallForTrainingIsACorpusError() {
        // n = 1: trainEnd = floor(0.9) = 0.
        CorpusException e = assertThrows(CorpusException.class, () -> TextSplit.byFraction("a", 0.1, 0.0));
        assertTrue(e.getMessage().startsWith("corpus too small to split: 1 characters leave an empty training part"),
                e.getMessage());
    }

    @Test
    void emptyValidationPartIsACorpusErrorWhenAsked() {
        // n = 10, valid 0.04, test 0.25: trainEnd = floor(7.1) = 7, validEnd = floor(7.5) = 7.
        CorpusException e = assertThrows(CorpusException.class,
                () -> TextSplit.byFraction("abcdefghij", 0.04, 0.25));
        assertTrue(e.getMessage().contains("empty validation part"), e.getMessage());
    }
}
