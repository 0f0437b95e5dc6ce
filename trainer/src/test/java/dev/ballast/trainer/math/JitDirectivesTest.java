package dev.ballast.trainer.math;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class JitDirectivesTest {

    @Test
    void theDirectiveIsInForceOnHotSpotAndAddedOnlyOnce() {
        assumeTrue(System.getProperty("java.vm.name", "").contains("HotSpot"), "HotSpot only");
        assertTrue(JitDirectives.apply(), "compilerDirectivesAdd accepted the directive");
        assertTrue(JitDirectives.apply(), "a second call keeps the first result without adding another");
    }
}
