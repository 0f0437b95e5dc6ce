package dev.ballast.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnknownPolicyTest {

    @Test
    void parsesItsOwnIds() {
        for (UnknownPolicy p : UnknownPolicy.values()) {
            assertEquals(p, UnknownPolicy.parse(p.id()));
        }
        assertEquals("replace", UnknownPolicy.REPLACE.id());
        assertEquals(UnknownPolicy.SKIP, UnknownPolicy.parse("SKIP"));
    }

    @Test
    void badValueListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnknownPolicy.parse("ignore"));
        assertTrue(e.getMessage().contains("'ignore'"), e.getMessage());
        assertTrue(e.getMessage().contains("error, skip, replace"), e.getMessage());
    }
}
