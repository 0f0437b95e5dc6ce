package dev.ballast.engine.vector;

import dev.ballast.engine.math.PackedMatrix;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.ScalarKernels;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ballast.engine.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * gemm with a B prepared by {@link Kernels#pack} gives bit-for-bit what the unpacked gemm gives on
 * the same B, for the Vector kernels (panel layout, 1 and 2 threads) and the scalar default (a
 * reference to B): awkward shapes across the micro-tile, K-block (256) and column-block (~2048)
 * boundaries, both transposes, both betas, offsets and padded leading dimensions.
 */
class PackedMatrixTest {

    private static final List<Kernels> KERNELS =
            List.of(new VectorKernels(1), new VectorKernels(2), ScalarKernels.INSTANCE);

    @Test
    void packedGemmIsBitIdenticalToUnpacked() {
        Rng rng = new Rng(9);
        int[][] shapes = {
            {1, 7, 5}, {2, 33, 17}, {3, 65, 1}, {9, 49, 300}, {17, 100, 257},
            {50, 2048, 64}, {20, 2100, 30}, {40, 300, 520}, {130, 70, 40},
        };
        for (Kernels kernels : KERNELS) {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    for (float beta : new float[] {0f, 1f}) {
                        check(kernels, t >= 2, (t & 1) == 1, s[0], s[1], s[2], beta, rng);
                    }
                }
            }
        }
    }

    @Test
    void reusedBufferGivesTheSameResultAsAFreshOne() {
        Rng rng = new Rng(10);
        Kernels kernels = new VectorKernels(2);
        int m = 30, k = 40;
        PackedMatrix reuse = null;
        for (int n : new int[] {500, 60, 700}) { // shrink, then grow past the first buffer
            float[] a = VectorKernelsGemmTest.random(m * k, rng);
            float[] b = VectorKernelsGemmTest.random(k * n, rng);
            reuse = kernels.pack(false, k, n, b, 0, n, reuse);
            assertEquals(n, reuse.columns());
            assertEquals(k, reuse.rows());
            float[] expected = new float[m * n];
            float[] actual = new float[m * n];
            kernels.gemm(false, false, m, n, k, a, b, 0f, expected);
            kernels.gemm(false, m, a, 0, k, reuse, 0f, actual, 0, n);
            assertArrayEquals(expected, actual, "n=" + n);
        }
    }

    private static void check(Kernels kernels, boolean ta, boolean tb, int m, int n, int k,
                              float beta, Rng rng) {
        int aCols = ta ? m : k, aRows = ta ? k : m;
        int bCols = tb ? k : n, bRows = tb ? n : k;
        int lda = aCols + rng.nextInt(3), ldb = bCols + rng.nextInt(3), ldc = n + rng.nextInt(3);
        int aOff = rng.nextInt(4), bOff = rng.nextInt(4), cOff = rng.nextInt(4);
        float[] a = VectorKernelsGemmTest.random(aOff + aRows * lda, rng);
        float[] b = VectorKernelsGemmTest.random(bOff + bRows * ldb, rng);
        float[] expected = VectorKernelsGemmTest.random(cOff + m * ldc + 2, rng);
        float[] actual = expected.clone();
        kernels.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
        PackedMatrix packed = kernels.pack(tb, k, n, b, bOff, ldb, null);
        kernels.gemm(ta, m, a, aOff, lda, packed, beta, actual, cOff, ldc);
        assertArrayEquals(expected, actual, kernels.name() + " ta=" + ta + " tb=" + tb + " m=" + m
                + " n=" + n + " k=" + k + " beta=" + beta);
    }
}
