package dev.ballast.tokenizer;

import dev.ballast.engine.InputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        InputException e = assertThrows(InputException.class, () -> UnknownPolicy.parse("ignore"));
        assertEquals("unknown_policy must be one of error, skip, replace, got 'ignore'", e.getMessage());
        assertEquals("unknown_policy", e.field());
    }
}
