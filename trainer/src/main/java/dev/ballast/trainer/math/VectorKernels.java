package dev.ballast.trainer.math;

import java.util.Arrays;

/**
 * {@link Kernels} on the incubating Vector API ({@code jdk.incubator.vector}), optionally spread
 * over a few threads. Loaded only through {@link KernelProvider}, which checks that the module is
 * enabled first.
 *
 * <p>gemm is a packed, register-blocked Goto/BLIS-style multiply: see {@link PackedGemm} for the
 * MR x NR micro-tile and the packing, and {@link RowKernel} for the batch-1 (m &lt;= 2) case.
 * Threads split C only, into blocks of whole columns (when C is wide or has few rows) or whole
 * rows, never k; every element is summed in the same order whoever computes it, so results are
 * bit-identical for any thread count. Calls with fewer than {@link #PARALLEL_MIN_WORK}
 * multiply-adds stay on the calling thread.
 *
 * <p>sigmoid and tanh: see {@link VectorActivations} (a few ulps from the reference; results
 * that would be subnormal are flushed to 0).
 *
 * <p>Instances are thread-safe; packing buffers are per thread and reused across calls.
 */
public final class VectorKernels implements Kernels {

    /**
     * m*n*k below which a call stays on one thread. Measured on a 2-core EPYC: the hand-off to a
     * parked worker costs ~10-20 us, so a second thread starts to pay off around 4M multiply-adds
     * (e.g. 64x512x128); batch-1 generation (1x2048x512) is faster on one thread.
     */
    static final long PARALLEL_MIN_WORK = 1L << 22;

    private final int threads;
    private final KernelThreads pool;

    /** Kernels using {@code threads} threads (at least 1). */
    public VectorKernels(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads > 1 ? KernelThreads.shared(threads) : null;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        ScalarKernels.checkBeta(beta);
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative gemm shape m=" + m + " n=" + n + " k=" + k);
        }
        boolean accumulate = beta == 1f;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        PackedGemm.Operand opA = PackedGemm.Operand.of(a, aOff, lda, transA);
        PackedGemm.Operand opB = PackedGemm.Operand.of(b, bOff, ldb, transB);
        int parts = parts(m, n, k);
        if (parts == 1) {
            PackedGemm.multiply(m, n, k, opA, opB, accumulate, c, cOff, ldc);
        } else if (splitColumns(m, n, parts)) {
            int chunk = chunk(n, parts, COLUMN_ALIGN);
            pool.run(parts, p -> {
                int j0 = p * chunk;
                int nj = Math.min(n, j0 + chunk) - j0;
                if (nj > 0) {
                    PackedGemm.multiply(m, nj, k, opA, opB.shift(0, j0), accumulate, c, cOff + j0, ldc);
                }
            });
        } else {
            int chunk = chunk(m, parts, PackedGemm.MR);
            pool.run(parts, p -> {
                int i0 = p * chunk;
                int mi = Math.min(m, i0 + chunk) - i0;
                if (mi > 0) {
                    PackedGemm.multiply(mi, n, k, opA.shift(i0, 0), opB, accumulate, c, cOff + i0 * ldc, ldc);
                }
            });
        }
    }

    /** Column blocks are whole row-kernel strips (4 vectors), which are also whole NR panels. */
    private static final int COLUMN_ALIGN = 2 * PackedGemm.NR;

    private int parts(int m, int n, int k) {
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
            return 1;
        }
        boolean columnsSplittable = n >= threads * COLUMN_ALIGN;
        boolean rowsSplittable = m >= threads * PackedGemm.MR && m > PackedGemm.ROW_KERNEL_MAX_M;
        return columnsSplittable || rowsSplittable ? threads : 1;
    }

    /**
     * Split along n when C is at least as wide as tall (each thread then re-packs only A, the
     * smaller operand) or when there are too few rows to share; along m otherwise.
     */
    private static boolean splitColumns(int m, int n, int parts) {
        boolean columnsSplittable = n >= parts * COLUMN_ALIGN;
        boolean rowsSplittable = m >= parts * PackedGemm.MR && m > PackedGemm.ROW_KERNEL_MAX_M;
        return columnsSplittable && (n >= m || !rowsSplittable);
    }

    /** ceil(total / parts) rounded up to a multiple of align. */
    private static int chunk(int total, int parts, int align) {
        int per = (total + parts - 1) / parts;
        return (per + align - 1) / align * align;
    }

    @Override
    public void sigmoid(float[] x, int off, int len) {
        VectorActivations.sigmoid(x, off, len);
    }

    @Override
    public void tanh(float[] x, int off, int len) {
        VectorActivations.tanh(x, off, len);
    }

    /** The number of threads a large gemm is split over. */
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "vector-" + PackedGemm.S.vectorBitSize() + "x" + threads;
    }
}
