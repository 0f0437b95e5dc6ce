package dev.ballast.engine.vector;

import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.Norms;
import dev.ballast.engine.math.ScalarKernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.Rng;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The kernels that share rows or columns between threads: max, column sums, ranges. */
class VectorKernelsRowsTest {

    private static final int[] LENGTHS = {1, 7, 15, 16, 17, 33, 65, 10_001};

    @Test
    void maxMatchesTheReferenceOnAwkwardLengths() {
        Kernels fast = new VectorKernels(1);
        Rng rng = new Rng(3);
        for (int len : LENGTHS) {
            float[] x = new float[len + 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian() - 50f; // all negative, so a zero-padded tail would win
            }
            x[len + 4] = 1e9f; // beyond the range: must not be seen
            assertEquals(ScalarKernels.INSTANCE.max(x, 2, len), fast.max(x, 2, len), "len " + len);
        }
        float[] withNaN = {1f, Float.NaN, 3f};
        assertTrue(Float.isNaN(fast.max(withNaN, 0, 3)));
        assertEquals(Float.NEGATIVE_INFINITY, fast.max(new float[] {Float.NEGATIVE_INFINITY}, 0, 1));
    }

    @Test
    void columnSumsAddRowsInOrderWhateverTheThreadCount() {
        Rng rng = new Rng(4);
        int rows = 37, cols = 1030, lda = 1041;
        float[] a = new float[3 + rows * lda];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        float[] start = new float[cols];
        for (int j = 0; j < cols; j++) {
            start[j] = j * 0.25f;
        }
        float[] expected = start.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                expected[j] += a[3 + r * lda + j];
            }
        }
        for (Kernels k : new Kernels[] {ScalarKernels.INSTANCE, new VectorKernels(1), new VectorKernels(2)}) {
            float[] sums = start.clone();
            k.addColumnSums(rows, cols, a, 3, lda, sums);
            assertArrayEquals(expected, sums, k.name());
        }
    }

    @Test
    void rangesCoverEveryIndexOnce() {
        Kernels two = new VectorKernels(2);
        for (int n : new int[] {0, 1, 5, 64, 1001}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(n, 1));
            two.forEachRange(n, 3, (from, to) -> {
                assertTrue(from < to, "empty range " + from + ".." + to);
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i), "index " + i + " of " + n);
            }
        }
    }

    /**
     * The last len % L values of a range go through one-lane copies of the vector functions: a value
     * must come out with the same bits whether it sits in a whole vector or in the tail.
     */
    @Test
    void tailValuesGetTheSameBitsAsVectorLanes() {
        Kernels fast = new VectorKernels(1);
        Rng rng = new Rng(8);
        float[] special = {0f, -0f, 1e-40f, -1e-40f, Float.MIN_NORMAL, 0.625f, -0.625f, 0.6249999f, 9.1f, -9.1f,
            10.001f, 20f, -20f, 87f, -87f, -87.33f, -87.34f, -88f, 88f, 100f, -100f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int round = 0; round < 2000; round++) {
            float v = round < special.length ? special[round]
                    : (float) (rng.nextGaussian() * (round % 3 == 0 ? 0.5 : round % 3 == 1 ? 8 : 60));
            // v in whole vectors (64 is a multiple of any vector width), as the only value of a range
            // (all tail), and as the last value of a range of 63 (tail for any width above 1)
            float[] whole = new float[64];
            java.util.Arrays.fill(whole, v);
            float[] single = {v};
            for (String f : new String[] {"sigmoid", "tanh", "exp"}) {
                float[] a = whole.clone();
                float[] b = single.clone();
                float[] c = whole.clone();
                apply(fast, f, a, 64);
                apply(fast, f, b, 1);
                apply(fast, f, c, 63);
                assertEquals(Float.floatToIntBits(a[0]), Float.floatToIntBits(c[62]), f + "(" + v + ") at the end of 63");
                assertEquals(Float.floatToIntBits(a[0]), Float.floatToIntBits(b[0]), f + "(" + v + "): " + a[0] + " vs " + b[0]);
                assertEquals(Float.floatToIntBits(a[0]), Float.floatToIntBits(a[63]), f + "(" + v + ") lane 63");
            }
        }
    }

    private static void apply(Kernels k, String f, float[] x, int len) {
        switch (f) {
            case "sigmoid" -> k.sigmoid(x, 0, len);
            case "tanh" -> k.tanh(x, 0, len);
            default -> k.expShifted(x.clone(), 0, len, 1.5f, x, 0);
        }
    }

    @Test
    void sumOfSquaresIsTheSameOnAnyThreadCountAndCloseToTheReference() {
        Rng rng = new Rng(11);
        for (int n : new int[] {0, 1, 1000, (1 << 15) + 3, 5 * (1 << 15) + 17}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            double one = new VectorKernels(1).sumOfSquares(x);
            assertEquals(one, new VectorKernels(2).sumOfSquares(x), 0.0, "n = " + n);
            assertEquals(Norms.sumOfSquares(x), one, 1e-12 * Math.max(1, one), "n = " + n);
        }
    }
}
