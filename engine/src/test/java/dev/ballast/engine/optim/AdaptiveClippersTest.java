package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stability toolkit's clippers (layer-norm, auto, agc) and the max-norm constraint, on hand-sized vectors. */
class AdaptiveClippersTest {

    private static Parameter param(String name, Parameter.Kind kind, float[] w, float[] g, int... shape) {
        Parameter p = new Parameter(name, kind, shape);
        System.arraycopy(w, 0, p.value(), 0, w.length);
        System.arraycopy(g, 0, p.grad(), 0, g.length);
        return p;
    }

    private static void assertVector(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "[" + i + "]");
        }
    }

    @Test
    void clipsEachLayerToItsOwnNorm() {
        // layers.0 holds (3, 4) and (0, 12): joint norm 13; output holds (1, 0): norm 1.
        Parameter w = param("layers.0.w_input", Parameter.Kind.INPUT_WEIGHT, new float[2], new float[] {3, 4}, 2);
        Parameter b = param("layers.0.bias", Parameter.Kind.BIAS, new float[2], new float[] {0, 12}, 2);
        Parameter out = param("output.weight", Parameter.Kind.OUTPUT_WEIGHT, new float[2], new float[] {1, 0}, 2);
        ClipResult r = new LayerNormClipper(6.5).clip(List.of(w, b, out));
        double coef = 6.5 / (13 + 1e-6);
        assertVector(new double[] {3 * coef, 4 * coef}, w.grad());
        assertVector(new double[] {0, 12 * coef}, b.grad());
        assertArrayEquals(new float[] {1, 0}, out.grad(), "a quiet layer keeps its gradient");
        assertTrue(r.clipped());
        assertEquals(Math.sqrt(13 * 13 + 1), r.normBefore(), 1e-9);
        assertEquals(Math.sqrt(6.5 * 6.5 + 1), r.normAfter(), 1e-5);
    }

    @Test
    void layerIsTheNameWithoutItsLastPart() {
        Parameter p = new Parameter("layers.1.w_recurrent", Parameter.Kind.RECURRENT_WEIGHT, 1);
        assertEquals("layers.1", LayerNormClipper.layerOf(p));
        assertEquals("embedding", LayerNormClipper.layerOf(new Parameter("embedding.weight", Parameter.Kind.EMBEDDING, 1)));
    }

    private static ClipResult autoStep(AutoClipper c, float... g) {
        Parameter p = param("a", Parameter.Kind.INPUT_WEIGHT, new float[g.length], g, g.length);
        ClipResult r = c.clip(List.of(p));
        lastGrad = p.grad();
        return r;
    }

    private static float[] lastGrad;

    @Test
    void autoClipsToAPercentileOfRecentNorms() {
        // Median (p50) of the last 3 norms, numpy-style interpolation.
        AutoClipper c = new AutoClipper(50, 3);
        assertFalse(autoStep(c, 3, 4).clipped());              // history [5]: threshold 5, norm 5 not above it
        assertEquals(5, c.lastThreshold(), 1e-12);
        assertTrue(autoStep(c, 0, 13).clipped());              // history [5, 13]: threshold 9
        assertEquals(9, c.lastThreshold(), 1e-12);
        assertVector(new double[] {0, 13 * (9 / (13 + 1e-6))}, lastGrad);
        assertFalse(autoStep(c, 1, 0).clipped());              // history [5, 13, 1]: threshold 5
        assertEquals(5, c.lastThreshold(), 1e-12);
        assertTrue(autoStep(c, 0, 20).clipped());              // window 3 drops the 5: [13, 1, 20] -> 13
        assertEquals(13, c.lastThreshold(), 1e-12);
        assertVector(new double[] {0, 20 * (13 / (20 + 1e-6))}, lastGrad);
        assertArrayEquals(new double[] {13, 1, 20}, c.history());
    }

    @Test
    void autoHistoryRestoresExactly() {
        AutoClipper a = new AutoClipper(10, 4);
        for (float x : new float[] {5, 7, 2, 9, 4, 6}) {
            autoStep(a, x);
        }
        AutoClipper b = new AutoClipper(10, 4);
        b.restore(a.history());
        assertArrayEquals(a.history(), b.history());
        autoStep(a, 8);
        float[] ga = lastGrad;
        autoStep(b, 8);
        assertArrayEquals(ga, lastGrad);
        assertEquals(a.lastThreshold(), b.lastThreshold(), 0.0);
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4], 10) = 1.3; ([7], 10) = 7
        assertEquals(1.3, AutoClipper.percentile(new double[] {4, 1, 3, 2}, 10), 1e-12);
        assertEquals(7, AutoClipper.percentile(new double[] {7}, 10), 0.0);
    }

    @Test
    void agcClipsEachUnitRelativeToItsWeights() {
        // (in=2, out=2) matrix W = [[3, 0], [4, 1]]: column 0 = (3, 4), |W_0| = 5; column 1 = (0, 1), |W_1| = 1.
        // G = [[1, 0], [0, 1]]: |G_0| = |G_1| = 1. ratio 0.1: max_0 = 0.5 -> G_0 halves; max_1 = 0.1 -> G_1 * 0.1.
        Parameter w = param("layers.0.w_input", Parameter.Kind.INPUT_WEIGHT, new float[] {3, 0, 4, 1},
                new float[] {1, 0, 0, 1}, 2, 2);
        // Embedding rows are the units: row 0 = (3, 4) with grad (0.6, 0.8) -> max 0.5, scaled by 0.5;
        // row 1 is zero: the 1e-3 floor gives max 1e-4 for grad (0, 2).
        Parameter e = param("embedding.weight", Parameter.Kind.EMBEDDING, new float[] {3, 4, 0, 0},
                new float[] {0.6f, 0.8f, 0, 2}, 2, 2);
        // A bias unit is one element: w 0 -> max 1e-4; w 20 -> max 2, grad 1 untouched.
        Parameter b = param("layers.0.bias", Parameter.Kind.BIAS, new float[] {0, 20}, new float[] {1, 1}, 2);
        assertTrue(new AgcClipper(0.1).clip(List.of(w, e, b)).clipped());
        assertVector(new double[] {0.5, 0, 0, 0.1}, w.grad());
        assertVector(new double[] {0.3, 0.4, 0, 1e-4}, e.grad());
        assertVector(new double[] {1e-4, 1}, b.grad());
    }

    @Test
    void agcLeavesSmallUpdatesAlone() {
        Parameter w = param("w", Parameter.Kind.INPUT_WEIGHT, new float[] {3, 0, 4, 1}, new float[] {1, 0, 0, 0.2f}, 2, 2);
        assertFalse(new AgcClipper(0.25).clip(List.of(w)).clipped());
        assertArrayEquals(new float[] {1, 0, 0, 0.2f}, w.grad());
    }

    @Test
    void newModesAreCreatedByName() {
        assertInstanceOf(LayerNormClipper.class, Clippers.create(ClipMode.LAYER_NORM, 1, 1));
        assertInstanceOf(AutoClipper.class, Clippers.create(ClipMode.AUTO, 1, 1));
        assertInstanceOf(AgcClipper.class, Clippers.create(ClipMode.AGC, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Clippers.create(ClipMode.AGC, 1, 1, 10, 0));
        assertTrue(e.getMessage().contains("clip_ratio"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Clippers.create(ClipMode.AUTO, 1, 1, 101, 0.1));
        assertTrue(e.getMessage().contains("clip_percentile"), e.getMessage());
    }

    @Test
    void maxNormRescalesLongRecurrentColumnsOnly() {
        Parameter wr = param("layers.0.w_recurrent", Parameter.Kind.RECURRENT_WEIGHT, new float[] {3, 0, 4, 1},
                new float[4], 2, 2);
        Parameter wi = param("layers.0.w_input", Parameter.Kind.INPUT_WEIGHT, new float[] {3, 0, 4, 1}, new float[4], 2, 2);
        assertEquals(1, new MaxNormConstraint(2).apply(List.of(wr, wi)));
        assertVector(new double[] {1.2, 0, 1.6, 1}, wr.value());   // column 0 (3, 4) -> norm 2; column 1 norm 1 kept
        assertArrayEquals(new float[] {3, 0, 4, 1}, wi.value());
    }

    @Test
    void separateL2ForInputRecurrentAndBias() {
        Parameter in = param("i", Parameter.Kind.INPUT_WEIGHT, new float[] {1}, new float[1], 1);
        Parameter rec = param("r", Parameter.Kind.RECURRENT_WEIGHT, new float[] {2}, new float[1], 1);
        Parameter bias = param("b", Parameter.Kind.BIAS, new float[] {3}, new float[1], 1);
        Parameter out = param("o", Parameter.Kind.OUTPUT_WEIGHT, new float[] {1}, new float[1], 1);
        Regularizer reg = new Regularizer(0.1, 0, false, 0.5, 2.0, 1.0);
        double penalty = reg.addGradients(List.of(in, rec, bias, out));
        assertArrayEquals(new float[] {0.5f}, in.grad());
        assertArrayEquals(new float[] {4.0f}, rec.grad());
        assertArrayEquals(new float[] {3.0f}, bias.grad());
        assertArrayEquals(new float[] {0.1f}, out.grad());
        // 0.5 * (0.5*1 + 2*4 + 1*9 + 0.1*1)
        assertEquals(8.8, penalty, 1e-9);
        assertEquals(0.0, new Regularizer(0.1, 0, false).l2For(Parameter.Kind.BIAS));
    }
}
