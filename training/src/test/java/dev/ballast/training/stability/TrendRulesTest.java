package dev.ballast.training.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Test;

/** The slow-trend detectors and the recovery policy's answer to them, on injected loss and norm curves. */
class TrendRulesTest {

    @Test
    void regressionNeedsTheAverageAboveTheBandForPatienceSteps() {
        // Loss 2 for 20 steps, then 3. The average after k steps of 3 is 3 - 0.95^k; it leaves the 10% band
        // (2.2) when 0.95^k < 0.8, i.e. k >= 5 (ln 0.8 / ln 0.95 = 4.35). With patience 10 that is the
        // 10th step above: k = 14.
        LossRegressionDetector d = new LossRegressionDetector(0.1, 10);
        for (int i = 0; i < 20; i++) {
            d.accept(2.0);
        }
        assertEquals(2.0, d.best(), 0.0);
        for (int k = 1; k <= 13; k++) {
            d.accept(3.0);
            assertFalse(d.regressed(), "after " + k + " steps of 3");
        }
        d.accept(3.0);
        assertTrue(d.regressed());
        d.rebase();
        assertFalse(d.regressed(), "a recovery starts the patience again");
        assertEquals(d.average(), d.best(), 0.0, "from the current average");
    }

    @Test
    void regressionCountsFromTheFirstStep() {
        // A run that blows up at once: its best is the first loss (ln V), not some average after a warm-up.
        LossRegressionDetector d = new LossRegressionDetector(0.1, 3);
        d.accept(4.2);
        for (int i = 0; i < 3; i++) {
            d.accept(25);
        }
        assertEquals(4.2, d.best(), 0.0);
        assertTrue(d.regressed());
    }

    @Test
    void healthyFallingLossNeverRegresses() {
        // A char-level curve: ln(65) falling to 1.5 with per-batch noise of 0.08 nats and a bump of 0.1 at
        // each "epoch" start (the carried state is zeroed): the 20-step average stays within 10% of its best.
        LossRegressionDetector d = new LossRegressionDetector(0.1, 10);
        Rng rng = new Rng(7);
        for (int t = 0; t < 3000; t++) {
            double loss = 1.5 + (Math.log(65) - 1.5) * Math.exp(-t / 150.0) + 0.08 * rng.nextGaussian()
                    + (t % 500 < 5 ? 0.1 : 0);
            d.accept(loss);
            assertFalse(d.regressed(), "step " + t);
        }
    }

    @Test
    void zeroPatienceTurnsTheRuleOff() {
        LossRegressionDetector d = new LossRegressionDetector(0.1, 0);
        d.accept(1);
        for (int i = 0; i < 50; i++) {
            d.accept(100);
        }
        assertFalse(d.regressed());
    }

    @Test
    void regressionStateRoundTrips() {
        LossRegressionDetector d = new LossRegressionDetector(0.1, 2);
        d.accept(1);
        d.accept(5);
        LossRegressionDetector e = new LossRegressionDetector(0.1, 2);
        e.restore(d.state());
        d.accept(5);
        e.accept(5);
        assertEquals(d.average(), e.average(), 0.0);
        assertTrue(d.regressed());
        assertTrue(e.regressed());
    }

    @Test
    void persistentClippingNeedsMoreThanHalfOfAFullWindowFarAbove() {
        PersistentClipDetector p = new PersistentClipDetector(5, 4);
        p.accept(6, 1);
        p.accept(6, 1);
        p.accept(6, 1);
        assertFalse(p.persistent(), "window not full yet");
        p.accept(1, 1);
        assertTrue(p.persistent(), "3 of 4 over 5x");
        p.accept(1, 1); // oldest first 6, 6, 1, 1: two of four is not more than half
        assertFalse(p.persistent());
        p.accept(5.0, 1); // exactly 5x is not over it: 6, 1, 1, 5
        assertFalse(p.persistent());
        p.accept(6, 1); // 1, 1, 5, 6
        p.accept(6, 1); // 1, 5, 6, 6: two of four
        assertFalse(p.persistent());
        p.accept(6, 1); // 5, 6, 6, 6
        assertTrue(p.persistent());
        p.reset();
        assertFalse(p.persistent());
    }

    @Test
    void stepsWithoutAThresholdNeverCountAsClipped() {
        PersistentClipDetector p = new PersistentClipDetector(5, 2);
        p.accept(1e9, Double.NaN);
        p.accept(1e9, Double.NaN);
        assertFalse(p.persistent());
        PersistentClipDetector off = new PersistentClipDetector(5, 0);
        off.accept(1e9, 1);
        assertFalse(off.persistent());
    }

    @Test
    void clipAlarmStateRoundTrips() {
        PersistentClipDetector p = new PersistentClipDetector(2, 3);
        p.accept(3, 1);
        p.accept(3, 1);
        PersistentClipDetector q = new PersistentClipDetector(2, 3);
        q.restore(p.state());
        q.accept(0, 1);
        assertTrue(q.persistent());
        PersistentClipDetector other = new PersistentClipDetector(2, 5);
        other.restore(p.state()); // another window size: starts afresh
        assertFalse(other.persistent());
    }

    @Test
    void trendsHalveTheRateWithoutTighteningTheClipOrQuarantining() {
        RecoveryPolicy p = new RecoveryPolicy(2);
        assertEquals(Incident.Action.ROLLED_BACK, p.decideTrend(Incident.Kind.LOSS_REGRESSION));
        assertEquals(0.5, p.lrScale(), 0.0);
        assertEquals(1.0, p.clipScale(), 0.0);
        assertEquals(1, p.rollbacks());
        assertTrue(p.quarantined().isEmpty());
        assertEquals(Incident.Action.LR_LOWERED, p.decideTrend(Incident.Kind.PERSISTENT_CLIPPING));
        assertEquals(Incident.Action.LR_LOWERED, p.decideTrend(Incident.Kind.VALIDATION_REGRESSION));
        assertEquals(0.125, p.lrScale(), 0.0);
        assertEquals(2, p.lrCuts());
        assertFalse(p.canLowerLr(), "at most maxRetries cuts");
        assertThrows(IllegalStateException.class, () -> p.decideTrend(Incident.Kind.PERSISTENT_CLIPPING));
        assertThrows(IllegalArgumentException.class, () -> p.decideTrend(Incident.Kind.LOSS_SPIKE));
        assertEquals(Incident.Action.WEIGHTS_RESCALED, p.decideTrend(Incident.Kind.RECURRENCE_EXPANDING));
        assertEquals(0.125, p.lrScale(), 0.0, "a rescale leaves the rate alone");
        assertEquals(Incident.Action.WEIGHTS_RESCALED, p.decideTrend(Incident.Kind.RECURRENCE_EXPANDING));
        assertFalse(p.canRescale(), "at most maxRetries rescales");
    }

    @Test
    void onlyNonFiniteKindsCountAsNonFinite() {
        for (Incident.Kind k : Incident.Kind.values()) {
            assertEquals(k.name().startsWith("NONFINITE"), k.nonFinite(), k.name());
            assertEquals(k == Incident.Kind.LOSS_REGRESSION || k == Incident.Kind.VALIDATION_REGRESSION
                    || k == Incident.Kind.PERSISTENT_CLIPPING || k == Incident.Kind.RECURRENCE_EXPANDING, k.trend(),
                    k.name());
        }
    }
}
