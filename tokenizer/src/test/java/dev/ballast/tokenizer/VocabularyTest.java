package dev.ballast.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void idsArePositionsInTheList() {
        Vocabulary v = Vocabulary.of(List.of("the", "cat", "<unk>"));
        assertEquals(3, v.size());
        assertEquals(0, v.id("the"));
        assertEquals(2, v.id("<unk>"));
        assertEquals("cat", v.symbol(1));
        assertEquals(List.of("the", "cat", "<unk>"), v.symbols());
    }

    @Test
    void absentSymbolHasIdMinusOne() {
        assertEquals(-1, Vocabulary.of(List.of("a")).id("b"));
    }

    @Test
    void rejectsDuplicateNamingTheSymbol() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.of(List.of("a", "b", "a")));
        assertTrue(e.getMessage().contains("\"a\""), e.getMessage());
        assertTrue(e.getMessage().contains("0 and 2"), e.getMessage());
    }

    @Test
    void isImmutableEvenIfTheSourceListChanges() {
        List<String> source = new ArrayList<>(List.of("x", "y"));
        Vocabulary v = Vocabulary.of(source);
        source.add("z");
        assertEquals(2, v.size());
        assertThrows(UnsupportedOperationException.class, () -> v.symbols().add("z"));
    }

    @Test
    void symbolOutOfRangeFails() {
        assertThrows(IndexOutOfBoundsException.class, () -> Vocabulary.of(List.of("a")).symbol(1));
    }
}
