package dev.ballast.engine.vector;

import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.ScalarKernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * VectorKernels.gemm against the scalar reference on awkward sizes (tails of every kind, K and M
 * block boundaries, the one-row kernel), every transpose pair, both betas, offsets and padded
 * leading dimensions; and bit-identical results whatever the thread count.
 */
class VectorKernelsGemmTest {

    private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 33, 65, 100, 257};
    private static final Kernels ONE = new VectorKernels(1);
    private static final Kernels TWO = new VectorKernels(2);

    @Test
    void matchesScalarOnSampledAwkwardShapes() {
        Rng rng = new Rng(42);
        for (int[] s : sampledShapes(rng)) {
            for (int t = 0; t < 4; t++) {
                for (float beta : new float[] {0f, 1f}) {
                    for (Kernels fast : List.of(ONE, TWO)) {
                        checkParity(fast, t >= 2, (t & 1) == 1, s[0], s[1], s[2], beta, rng);
                    }
                }
            }
        }
    }

    @Test
    void matchesScalarBeyondOneColumnBlock() {
        // n > PackedGemm.NC (2048) with a ragged tail, and a one-row product wider than NC.
        Rng rng = new Rng(7);
        checkParity(ONE, false, false, 7, 2100, 20, 1f, rng);
        checkParity(ONE, true, true, 13, 2061, 9, 0f, rng);
        checkParity(TWO, false, false, 1, 2100, 33, 0f, rng);
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Rng rng = new Rng(3);
        for (int m : new int[] {1, 2, 7, 40}) {
            int n = 37;
            int k = 19;
            float[] a = random(m * k, rng);
            float[] b = random(k * n, rng);
            float[] c = new float[m * n];
            Arrays.fill(c, Float.NaN);
            ONE.gemm(false, false, m, n, k, a, b, 0f, c);
            for (float v : c) {
                assertTrue(Float.isFinite(v), "m=" + m + " left a NaN from the old C");
            }
        }
    }

    @Test
    void zeroKOverwritesWithZeroOrKeepsC() {
        float[] c = {Float.NaN, 5f, 6f, 7f};
        ONE.gemm(false, false, 2, 2, 0, new float[0], new float[0], 1f, c);
        assertTrue(Float.isNaN(c[0]));
        assertEquals(5f, c[1]);
        ONE.gemm(false, false, 2, 2, 0, new float[0], new float[0], 0f, c);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void leavesPaddingAroundCUntouched() {
        // C is (5, 9) inside a (7, 12) buffer at offset 13: the padding must keep its sentinel.
        Rng rng = new Rng(11);
        int m = 5, n = 9, k = 300, ldc = 12, cOff = 13;
        float[] a = random(m * k, rng);
        float[] b = random(k * n, rng);
        float[] c = new float[cOff + m * ldc + 3];
        Arrays.fill(c, -7f);
        ONE.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, cOff, ldc);
        for (int idx = 0; idx < c.length; idx++) {
            int r = (idx - cOff) / ldc;
            int col = (idx - cOff) % ldc;
            boolean inside = idx >= cOff && r < m && col < n;
            if (!inside) {
                assertEquals(-7f, c[idx], "padding at " + idx);
            }
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        Rng rng = new Rng(5);
        int[][] shapes = {
            {300, 700, 300},   // split along n (wide C)
            {700, 100, 260},   // split along m (tall C)
            {600, 150, 3000},  // split along m, op(B) packed once by both threads in 12 K blocks
            {40, 2048, 256},   // recurrent step
            {1, 4096, 300},    // generation, one-row kernel split along n
            {2, 1000, 512},
        };
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = t >= 2;
                boolean tb = (t & 1) == 1;
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(m * k, rng);
                float[] b = random(k * n, rng);
                float[] c0 = random(m * n, rng);
                float[] c1 = c0.clone();
                float[] c2 = c0.clone();
                new VectorKernels(1).gemm(ta, tb, m, n, k, a, b, 1f, c1);
                new VectorKernels(2).gemm(ta, tb, m, n, k, a, b, 1f, c2);
                assertArrayEquals(c1, c2, "threads changed bits for " + Arrays.toString(s) + " t=" + t);
            }
        }
    }

    @Test
    void rejectsBetaOtherThanZeroOrOne() {
        float[] x = new float[4];
        assertThrows(IllegalArgumentException.class, () -> ONE.gemm(false, false, 2, 2, 1, x, x, 0.5f, x));
    }

    @Test
    void namesWidthAndThreads() {
        String name = TWO.name();
        assertTrue(name.matches("vector-(128|256|512)x2"), name);
    }

    /** A sample of the size grid, plus the equal-size diagonal, so every size shows up in each role. */
    private static List<int[]> sampledShapes(Rng rng) {
        List<int[]> shapes = new ArrayList<>();
        for (int s : SIZES) {
            shapes.add(new int[] {s, s, s});
        }
        for (int i = 0; i < 40; i++) {
            shapes.add(new int[] {pick(rng), pick(rng), pick(rng)});
        }
        return shapes;
    }

    private static int pick(Rng rng) {
        return SIZES[rng.nextInt(SIZES.length)];
    }

    /**
     * Runs one gemm with random offsets and padded leading dimensions through both kernels.
     * Tolerance: 1e-6 * sqrt(k + 1) times the sum of |terms| of the element (about 16 float ulps
     * per sqrt(k) of the worst-case scale); a wrong or missing term is ~1/k of that sum and fails.
     */
    private static void checkParity(Kernels fast, boolean ta, boolean tb, int m, int n, int k,
                                    float beta, Rng rng) {
        int aRows = ta ? k : m, aCols = ta ? m : k;
        int bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + rng.nextInt(3), ldb = bCols + rng.nextInt(3), ldc = n + rng.nextInt(3);
        int aOff = rng.nextInt(5), bOff = rng.nextInt(5), cOff = rng.nextInt(5);
        float[] a = random(aOff + aRows * lda, rng);
        float[] b = random(bOff + bRows * ldb, rng);
        float[] cInit = random(cOff + m * ldc, rng);
        if (beta == 0f) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(cInit, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
            }
        }
        float[] expected = cInit.clone();
        float[] actual = cInit.clone();
        ScalarKernels.INSTANCE.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
        fast.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, actual, cOff, ldc);
        String where = fast.name() + " ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k
                + " beta=" + beta;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double scale = beta == 1f ? Math.abs(cInit[cOff + i * ldc + j]) : 0;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    scale += Math.abs((double) av * bv);
                }
                int idx = cOff + i * ldc + j;
                double tol = 1e-6 * Math.sqrt(k + 1) * scale + 1e-30;
                assertEquals(expected[idx], actual[idx], tol, where + " at (" + i + ", " + j + ")");
            }
        }
        // Everything outside C, including the padding columns, is untouched.
        for (int i = 0; i < actual.length; i++) {
            int r = (i - cOff) / Math.max(ldc, 1);
            int col = (i - cOff) % Math.max(ldc, 1);
            if (i < cOff || r >= m || col >= n) {
                assertEquals(Float.floatToIntBits(cInit[i]), Float.floatToIntBits(actual[i]), where + " wrote at " + i);
            }
        }
    }

    static float[] random(int size, Rng rng) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
