package dev.ballast.engine.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings defaults and validation, and creating optimizers by name. */
class OptimizerSettingsTest {

    static void assertRejected(String expectedMessage, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void defaultsFollowPyTorch() {
        OptimizerSettings s = OptimizerSettings.defaults();
        assertEquals(0, s.momentum());
        assertFalse(s.nesterov());
        assertEquals(0.9, s.beta1());
        assertEquals(0.999, s.beta2());
        assertEquals(0.99, s.rmsAlpha());
        assertTrue(s.eps().isEmpty());
        assertTrue(s.weightDecay().isEmpty());
        assertEquals(1e-8, s.epsOr(OptimizerSettings.DEFAULT_EPS));
    }

    @Test
    void givenValuesAreKept() {
        OptimizerSettings s = OptimizerSettings.builder().momentum(0.5).nesterov(true).beta1(0.8).beta2(0.99)
                .eps(1e-6).rmsAlpha(0.9).weightDecay(0).build();
        assertEquals(0.5, s.momentum());
        assertTrue(s.nesterov());
        assertEquals(0.8, s.beta1());
        assertEquals(0.99, s.beta2());
        assertEquals(1e-6, s.eps().getAsDouble());
        assertEquals(0.9, s.rmsAlpha());
        assertEquals(0.0, s.weightDecay().getAsDouble());
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheFlag() {
        assertRejected("beta1 must be in [0, 1), got 1.0", () -> OptimizerSettings.builder().beta1(1).build());
        assertRejected("beta2 must be in [0, 1), got -0.1", () -> OptimizerSettings.builder().beta2(-0.1).build());
        assertRejected("momentum must be in [0, 1), got NaN",
                () -> OptimizerSettings.builder().momentum(Double.NaN).build());
        assertRejected("rms_alpha must be in [0, 1), got 1.5", () -> OptimizerSettings.builder().rmsAlpha(1.5).build());
        assertRejected("eps must be > 0, got 0.0", () -> OptimizerSettings.builder().eps(0).build());
        assertRejected("weight_decay must be >= 0, got -0.01",
                () -> OptimizerSettings.builder().weightDecay(-0.01).build());
        assertRejected("weight_decay must be >= 0, got NaN",
                () -> OptimizerSettings.builder().weightDecay(Double.NaN).build());
    }

    @Test
    void nesterovRequiresMomentum() {
        assertRejected("nesterov requires momentum > 0, got 0.0",
                () -> OptimizerSettings.builder().nesterov(true).build());
    }

    @Test
    void createsEveryOptimizerByName() {
        OptimizerSettings s = OptimizerSettings.defaults();
        assertInstanceOf(Sgd.class, Optimizers.create(OptimizerKind.SGD, s));
        assertInstanceOf(Adam.class, Optimizers.create(OptimizerKind.ADAM, s));
        assertInstanceOf(AdamW.class, Optimizers.create(OptimizerKind.ADAMW, s));
        assertInstanceOf(RmsProp.class, Optimizers.create(OptimizerKind.RMSPROP, s));
        assertInstanceOf(Adagrad.class, Optimizers.create(OptimizerKind.ADAGRAD, s));
        for (OptimizerKind kind : OptimizerKind.values()) {
            assertEquals(kind.id(), Optimizers.create(kind, s).name());
            assertEquals(s, Optimizers.create(kind, s).settings());
        }
    }

    @Test
    void unknownOptimizerListsChoices() {
        assertRejected("optimizer must be one of sgd, adam, adamw, rmsprop, adagrad, got 'adamax'",
                () -> OptimizerKind.parse("adamax"));
    }
}
