package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weights w = (2, -1, 0), bias b = (4), gradients all 1 before regularization. */
class RegularizerTest {

    static List<Parameter> params() {
        Parameter w = new Parameter("w", Parameter.Kind.RECURRENT_WEIGHT, 3);
        Parameter b = new Parameter("b", Parameter.Kind.BIAS, 1);
        w.value()[0] = 2;
        w.value()[1] = -1;
        b.value()[0] = 4;
        Arrays.fill(w.grad(), 1f);
        b.grad()[0] = 1;
        return List.of(w, b);
    }

    @Test
    void addsL2AndL1GradientsAndReturnsPenalty() {
        List<Parameter> p = params();
        double penalty = new Regularizer(0.5, 0.25).addGradients(p);
        // g += 0.5 w + 0.25 sign(w): (1 + 1 + 0.25, 1 - 0.5 - 0.25, 1 + 0 + 0)
        assertArrayEquals(new float[] {2.25f, 0.25f, 1f}, p.get(0).grad());
        // 0.5 * 0.5 * (4 + 1 + 0) + 0.25 * (2 + 1 + 0) = 1.25 + 0.75
        assertEquals(2.0, penalty, 1e-12);
    }

    @Test
    void biasesExcludedByDefault() {
        List<Parameter> p = params();
        new Regularizer(0.5, 0.25).addGradients(p);
        assertArrayEquals(new float[] {1f}, p.get(1).grad());
        assertFalse(new Regularizer(0.5, 0.25).includeBiases());
    }

    @Test
    void biasesIncludedWhenAsked() {
        List<Parameter> p = params();
        double penalty = new Regularizer(0.5, 0.25, true).addGradients(p);
        // bias: g = 1 + 0.5 * 4 + 0.25 = 3.25; penalty adds 0.5 * 0.5 * 16 + 0.25 * 4 = 5
        assertArrayEquals(new float[] {3.25f}, p.get(1).grad());
        assertEquals(7.0, penalty, 1e-12);
    }

    @Test
    void inactiveRegularizerChangesNothing() {
        List<Parameter> p = params();
        Regularizer none = Regularizer.none();
        assertFalse(none.active());
        assertEquals(0.0, none.addGradients(p));
        assertArrayEquals(new float[] {1, 1, 1}, p.get(0).grad());
        assertTrue(new Regularizer(0, 1e-6).active());
    }

    @Test
    void rejectsNegativeCoefficientsNamingTheFlag() {
        assertEquals("l2 must be >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new Regularizer(-1, 0)).getMessage());
        assertEquals("l1 must be >= 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Regularizer(0, Double.NaN)).getMessage());
    }
}
