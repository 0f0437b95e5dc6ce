package dev.ballast.trainer.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.trainer.Rng;
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
}
