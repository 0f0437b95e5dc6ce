package dev.ballast.engine.vector;

import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.ScalarKernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * VectorKernels.sigmoid / tanh against the scalar reference (which calls Math.exp / Math.tanh in
 * double): a few float ulps of relative error, exact saturation, NaN and signed zeros kept, and
 * no subnormal results.
 */
class VectorKernelsActivationTest {

    private static final float[] SPECIAL = {
        0f, -0f, 1e-8f, -1e-8f, 1e-3f, -1e-3f, 0.5f, -0.5f, 0.625f, -0.625f, 1f, -1f, 9f, -9f,
        17f, -17f, 20f, -20f, 80f, -80f, 87f, -87f, 87.5f, -87.5f, 88f, -88f, 100f, -100f,
        1e30f, -1e30f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
    };
    private static final Kernels FAST = new VectorKernels(1);
    /** Allowed error in float ulps of the reference result (the worst seen on these inputs is 2). */
    private static final float ULPS = 3f;

    @Test
    void sigmoidMatchesReferenceOnSpecialValues() {
        checkSigmoid(SPECIAL.clone());
    }

    @Test
    void tanhMatchesReferenceOnSpecialValues() {
        checkTanh(SPECIAL.clone());
    }

    @Test
    void bothMatchReferenceOnDenseSweepWithTails() {
        // -30..30 in steps of ~1e-3, an odd length so the masked tail is exercised too.
        float[] x = new float[60_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = -30f + i * 1e-3f;
        }
        checkSigmoid(x.clone());
        checkTanh(x.clone());
        Rng rng = new Rng(9);
        float[] g = new float[1003];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (rng.nextGaussian() * 5);
        }
        checkSigmoid(g.clone());
        checkTanh(g.clone());
    }

    @Test
    void saturatesExactly() {
        float[] s = {20f, 100f, Float.POSITIVE_INFINITY, -100f, -1e30f, Float.NEGATIVE_INFINITY};
        FAST.sigmoid(s, 0, s.length);
        assertEquals(1f, s[0]);
        assertEquals(1f, s[1]);
        assertEquals(1f, s[2]);
        assertEquals(0f, s[3]);
        assertEquals(0f, s[4]);
        assertEquals(0f, s[5]);
        float[] t = {10f, -10f, 100f, -100f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        FAST.tanh(t, 0, t.length);
        assertEquals(1f, t[0]);
        assertEquals(-1f, t[1]);
        assertEquals(1f, t[2]);
        assertEquals(-1f, t[3]);
        assertEquals(1f, t[4]);
        assertEquals(-1f, t[5]);
    }

    @Test
    void keepsNaNAndSignedZeroAndOnlyTouchesTheRange() {
        float[] x = {7f, Float.NaN, -0f, 0f, 7f};
        FAST.tanh(x, 1, 3);
        assertTrue(Float.isNaN(x[1]));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(x[2]));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(x[3]));
        assertEquals(7f, x[0]);
        assertEquals(7f, x[4]);
        float[] y = {7f, Float.NaN, 0f, 7f};
        FAST.sigmoid(y, 1, 2);
        assertTrue(Float.isNaN(y[1]));
        assertEquals(0.5f, y[2]);
        assertEquals(7f, y[0]);
        assertEquals(7f, y[3]);
    }

    @Test
    void neverReturnsSubnormals() {
        float[] x = new float[4000];
        for (int i = 0; i < x.length; i++) {
            x[i] = -120f + i * 0.01f;  // sigmoid passes through the subnormal range near -87..-103
        }
        float[] s = x.clone();
        FAST.sigmoid(s, 0, s.length);
        float[] t = {Float.MIN_VALUE, -Float.MIN_VALUE, 1e-39f, -1e-39f, 1e-44f};
        FAST.tanh(t, 0, t.length);
        for (float v : s) {
            assertTrue(v == 0f || Math.abs(v) >= Float.MIN_NORMAL, "subnormal sigmoid " + v);
        }
        for (float v : t) {
            assertTrue(v == 0f || Math.abs(v) >= Float.MIN_NORMAL, "subnormal tanh " + v);
        }
    }

    private static void checkSigmoid(float[] x) {
        float[] expected = x.clone();
        ScalarKernels.INSTANCE.sigmoid(expected, 0, expected.length);
        FAST.sigmoid(x, 0, x.length);
        compare("sigmoid", expected, x);
    }

    private static void checkTanh(float[] x) {
        float[] expected = x.clone();
        ScalarKernels.INSTANCE.tanh(expected, 0, expected.length);
        FAST.tanh(x, 0, x.length);
        compare("tanh", expected, x);
    }

    /** Within ULPS ulps of the reference, or within MIN_NORMAL where the fast one flushed to 0. */
    private static void compare(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e)) {
                assertTrue(Float.isNaN(a), what + " lost NaN at " + i);
                continue;
            }
            double tol = Math.max(ULPS * Math.ulp(e), Float.MIN_NORMAL);
            assertEquals(e, a, tol, what + " at index " + i);
        }
    }

    @org.junit.jupiter.api.Test
    void expShiftedMatchesTheReferenceOnAwkwardLengths() {
        Kernels fast = new VectorKernels(1);
        dev.ballast.engine.Rng rng = new dev.ballast.engine.Rng(12);
        for (int len : new int[] {1, 7, 15, 16, 17, 33, 65, 10_001}) {
            float[] x = new float[len + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rng.nextGaussian() * 30); // wide enough that some results underflow
            }
            float shift = 20f;
            float[] a = new float[len];
            float[] b = new float[len];
            double sa = ScalarKernels.INSTANCE.expShifted(x, 3, len, shift, a, 0);
            double sb = fast.expShifted(x, 3, len, shift, b, 0);
            for (int i = 0; i < len; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(a[i], b[i], Math.max(4 * Math.ulp(a[i]), 2 * Float.MIN_NORMAL), // the flush threshold may differ by a hair
                        "len " + len + " at " + i);
                org.junit.jupiter.api.Assertions.assertTrue(b[i] == 0f || b[i] >= Float.MIN_NORMAL, "subnormal " + b[i]);
            }
            org.junit.jupiter.api.Assertions.assertEquals(sa, sb, 1e-5 * Math.max(1, sa), "sum, len " + len);
            org.junit.jupiter.api.Assertions.assertEquals(sa, fast.expShifted(x, 3, len, shift, null, 0), 1e-5 * Math.max(1, sa));
        }
    }
}
