package dev.ballast.forecast;

import dev.ballast.training.StressRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForecastStressTest {

    @Test
    void aTooHighLearningRateDivergesUnprotectedButNotWithTheDefaults(@TempDir Path work) {
        ForecastStress.Case c = ForecastStress.cases().get(0);
        StressRun.Result r = ForecastStress.run(c, work, 1);
        assertTrue(r.unprotected().diverged(), "unprotected: " + r.unprotected());
        assertFalse(r.protectedRun().diverged(), "protected: " + r.protectedRun());
        assertTrue(r.protectedRun().incidents() > 0 || r.protectedRun().clippedFraction() > 0,
                "the defaults had to act: " + r.protectedRun());
    }
}
