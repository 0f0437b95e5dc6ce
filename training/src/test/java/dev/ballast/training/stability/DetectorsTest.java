package dev.ballast.training.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorsTest {

    @Test
    void spikeIsALossAboveFactorTimesTheAverageAfterWarmup() {
        LossSpikeDetector d = new LossSpikeDetector(3.0);
        for (int i = 0; i < LossSpikeDetector.WARMUP - 1; i++) {
            assertFalse(d.isSpike(100), "no verdict during warm-up");
            d.accept(2.0);
        }
        d.accept(2.0);
        assertEquals(2.0, d.average(), 1e-12);
        assertFalse(d.isSpike(5.9));
        assertTrue(d.isSpike(6.1));
        assertTrue(d.isSpike(Double.NaN));
    }

    @Test
    void spikesDoNotMoveTheAverage() {
        LossSpikeDetector d = new LossSpikeDetector(2.0);
        for (int i = 0; i < 20; i++) {
            d.accept(1.0);
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(d.isSpike(50)); // the caller does not accept spikes, so they keep being spikes
        }
        double[] s = d.state();
        LossSpikeDetector e = new LossSpikeDetector(2.0);
        e.restore(s);
        assertEquals(d.average(), e.average(), 0.0);
    }

    @Test
    void nonFiniteValuesAreFoundWhereTheyAre() {
        Parameter a = new Parameter("layers.0.w_input", Parameter.Kind.INPUT_WEIGHT, 3);
        Parameter b = new Parameter("layers.1.w_recurrent", Parameter.Kind.RECURRENT_WEIGHT, 3);
        assertNull(NonFinite.firstInGradients(List.of(a, b)));
        b.grad()[2] = Float.POSITIVE_INFINITY;
        assertSame(b, NonFinite.firstInGradients(List.of(a, b)));
        a.value()[1] = Float.NaN;
        assertSame(a, NonFinite.firstInWeights(List.of(a, b)));
        RecurrentState st = new RecurrentState(2, 2, 4, CellType.LSTM);
        assertEquals(-1, NonFinite.firstInState(st));
        st.c(1)[3] = Float.NaN;
        assertEquals(1, NonFinite.firstInState(st));
    }

    @Test
    void policySkipsTwiceThenRollsBackWithHalfTheRate() {
        RecoveryPolicy p = new RecoveryPolicy(1);
        assertEquals(Incident.Action.SKIPPED, p.decide(Incident.Kind.LOSS_SPIKE, 4));
        assertEquals(Incident.Action.SKIPPED, p.decide(Incident.Kind.NONFINITE_LOSS, 5));
        assertEquals(Incident.Action.ROLLED_BACK, p.decide(Incident.Kind.NONFINITE_LOSS, 6));
        assertEquals(0.5, p.lrScale());
        assertEquals(0.5, p.clipScale());
        assertTrue(p.isQuarantined(4) && p.isQuarantined(5) && p.isQuarantined(6));
        assertFalse(p.isQuarantined(7));
        p.healthy();
        assertEquals(Incident.Action.FAILED, p.decide(Incident.Kind.NONFINITE_WEIGHTS, 9), "one retry allowed, used");
        RecoveryPolicy q = new RecoveryPolicy(1);
        q.restore(p.state());
        assertEquals(p.quarantined(), q.quarantined());
        assertEquals(p.lrScale(), q.lrScale());
    }

    @Test
    void nonFiniteWeightsRollBackAtOnce() {
        assertEquals(Incident.Action.ROLLED_BACK, new RecoveryPolicy(3).decide(Incident.Kind.NONFINITE_WEIGHTS, 0));
    }

    @Test
    void reachIsTheFirstStepBackUnderOnePercent() {
        // curve by t; the last step is t = 4: 1.0; k = 1: 0.5, k = 2: 0.02, k = 3: 0.005
        assertEquals(3, Findings.reach(new float[] {0.001f, 0.005f, 0.02f, 0.5f, 1.0f}));
        assertEquals(-1, Findings.reach(new float[] {0.5f, 0.6f, 1.0f}));
    }
}
