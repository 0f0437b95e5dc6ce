package dev.ballast.engine.vector;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.LstmCell;
import dev.ballast.engine.math.Norms;
import dev.ballast.engine.math.PackedMatrix;
import dev.ballast.engine.math.ScalarKernels;

import java.util.Arrays;

/**
 * {@link Kernels} on the incubating Vector API ({@code jdk.incubator.vector}), optionally spread
 * over a few threads. Loaded only through {@link KernelProvider}, which checks that the module is
 * enabled first.
 *
 * <p>gemm is a packed, register-blocked Goto/BLIS-style multiply ({@link PackedGemm}): C is
 * computed in register micro-tiles (6 x 2 vectors on AVX2, 8 x 3 vectors on AVX-512); op(A) and op(B) are first
 * copied into zero-padded panels laid out in exactly the order the micro-tile reads them, so one
 * micro-kernel serves all four transpose pairs with contiguous loads and no tail cases, and the
 * 256-deep K blocks keep each B panel in L1 while the rows of the A block stream past it. Batch-1
 * products (m &lt;= 2, B not transposed) use {@link RowKernel}, a gemv along n without packing.
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
     * m*n*k below which a call stays on one thread. With the ExecutorService hand-off (10-20 us per
     * call) this was 4M multiply-adds; the spinning hand-off of {@link KernelThreads} costs about
     * 1 us back to back, which pays from about 128K: swept on an idle 2-core Zen4 with a long
     * generation warm-up (medians of 15 x 500 tokens, two runs each), 2x256 generation took 55-58 us
     * per token at 128K against 79-81 us at 1M (its 1x1024x256 products now split), the 1x512 RNN
     * 19-27 against 27-30 us; 64K was no better than 128K. Splitting costs when another job keeps the
     * second core busy (a preempted worker stalls the caller by its part); {@code
     * -Dballast.kernels.parallelMinWork=N} overrides it.
     */
    static final long PARALLEL_MIN_WORK = Long.getLong("ballast.kernels.parallelMinWork", 1L << 17);

    private final int threads;
    private final KernelThreads pool;

    static {
        JitDirectives.apply();
    }

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
        Split split = split(m, n, k, transB);
        if (split == Split.NONE) {
            PackedGemm.multiply(m, n, k, opA, opB, accumulate, c, cOff, ldc);
        } else if (split == Split.COLUMNS) {
            int chunk = chunk(n, threads, columnAlign(m, n, transB));
            pool.run(threads, p -> {
                int j0 = p * chunk;
                int nj = partEnd(p, n, chunk) - j0;
                if (nj > 0) {
                    PackedGemm.multiply(m, nj, k, opA, opB.shift(0, j0), accumulate, c, cOff + j0, ldc);
                }
            });
        } else {
            // Every row block needs all of op(B): pack it once, each thread a share of its blocks,
            // instead of each thread packing the whole of it (at 400x200x10000, the word model's
            // dX = dY W^T, that duplicate packing was a fifth of the call).
            float[] panels = sharedPanels(PackedGemm.packedSize(k, n));
            pool.run(threads, p -> PackedGemm.packAll(opB, k, n, panels, p, threads));
            rowsOnPanels(m, n, k, opA, panels, accumulate, c, cOff, ldc);
        }
    }

    /** C's rows shared between the threads, each block multiplied by the whole of a packed op(B). */
    private void rowsOnPanels(int m, int n, int k, PackedGemm.Operand opA, float[] panels, boolean accumulate,
                              float[] c, int cOff, int ldc) {
        int chunk = chunk(m, threads, PackedGemm.MR);
        pool.run(threads, p -> {
            int i0 = p * chunk;
            int mi = partEnd(p, m, chunk) - i0;
            if (mi > 0) {
                PackedGemm.multiplyPacked(mi, 0, n, k, opA.shift(i0, 0), panels, n, accumulate,
                        c, cOff + i0 * ldc, ldc);
            }
        });
    }

    /** The calling thread's buffer for a B packed by all threads for one call, grown as needed. */
    private static final ThreadLocal<float[][]> SHARED_PANELS = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] sharedPanels(int size) {
        float[][] holder = SHARED_PANELS.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    /** Ranges of at least {@code minRange} indices, one per thread, on the kernel threads. */
    @Override
    public void forEachRange(int n, int minRange, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int parts = pool == null ? 1 : (int) Math.min(threads, n / Math.max(1L, minRange));
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        int chunk = (n + parts - 1) / parts;
        pool.run(parts, p -> {
            int from = p * chunk;
            int to = Math.min(n, from + chunk);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    /** Blocks of sums of squares that threads take in turn; a fixed size, so the sum never depends on them. */
    private static final int SQUARES_BLOCK = 1 << 15;

    /**
     * {@link Norms#sumOfSquares(float[], int, int)} of each 32K-element block, then the blocks' sums in
     * order: the blocks are shared between the threads, and the grouping depends on the length only.
     */
    @Override
    public double sumOfSquares(float[] x) {
        int blocks = (x.length + SQUARES_BLOCK - 1) / SQUARES_BLOCK;
        if (blocks <= 1) {
            return Norms.sumOfSquares(x);
        }
        double[] sums = new double[blocks];
        forEachRange(blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int off = b * SQUARES_BLOCK;
                sums[b] = Norms.sumOfSquares(x, off, Math.min(SQUARES_BLOCK, x.length - off));
            }
        });
        double sum = 0;
        for (double s : sums) {
            sum += s;
        }
        return sum;
    }

    @Override
    public float max(float[] x, int off, int len) {
        return len < PackedGemm.L ? Kernels.super.max(x, off, len) : VectorActivations.max(x, off, len);
    }

    /** Copies op(B) into the micro-kernel's panel layout once ({@link PackedGemm#packAll}). */
    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix reuse) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("negative pack shape k=" + k + " n=" + n);
        }
        int size = PackedGemm.packedSize(k, n);
        float[] panels = reuse != null && reuse.panels != null && reuse.panels.length >= size
                ? reuse.panels : new float[size];
        PackedGemm.packAll(PackedGemm.Operand.of(b, bOff, ldb, transB), k, n, panels);
        return new PackedMatrix(transB, k, n, b, bOff, ldb, panels);
    }

    @Override
    public void gemm(boolean transA, int m, float[] a, int aOff, int lda, PackedMatrix b,
                     float beta, float[] c, int cOff, int ldc) {
        int n = b.n;
        int k = b.k;
        if (b.panels == null || m <= PackedGemm.ROW_KERNEL_MAX_M || k == 0 || m == 0 || n == 0) {
            // Not packed by us, or a one-row product that reads B in place anyway.
            gemm(transA, b.trans, m, n, k, a, aOff, lda, b.b, b.bOff, b.ldb, beta, c, cOff, ldc);
            return;
        }
        ScalarKernels.checkBeta(beta);
        boolean accumulate = beta == 1f;
        PackedGemm.Operand opA = PackedGemm.Operand.of(a, aOff, lda, transA);
        float[] panels = b.panels;
        Split split = split(m, n, k, b.trans);
        if (split == Split.NONE) {
            PackedGemm.multiplyPacked(m, 0, n, k, opA, panels, n, accumulate, c, cOff, ldc);
        } else if (split == Split.COLUMNS) {
            int chunk = chunk(n, threads, COLUMN_ALIGN);
            pool.run(threads, p -> {
                int j0 = p * chunk;
                int j1 = partEnd(p, n, chunk);
                if (j1 > j0) {
                    PackedGemm.multiplyPacked(m, j0, j1, k, opA, panels, n, accumulate, c, cOff, ldc);
                }
            });
        } else {
            rowsOnPanels(m, n, k, opA, panels, accumulate, c, cOff, ldc);
        }
    }

    /** Column blocks of packed products start at a whole vector or panel, see {@link PackedGemm#SPLIT_ALIGN}. */
    private static final int COLUMN_ALIGN = PackedGemm.SPLIT_ALIGN;

    /**
     * Column blocks of one-row products ({@link RowKernel}) are whole 4-vector strips when C is
     * wide enough, whole vectors otherwise, so that both threads get about the same width.
     */
    private int columnAlign(int m, int n, boolean transB) {
        if (m > PackedGemm.ROW_KERNEL_MAX_M || transB) {
            return COLUMN_ALIGN;
        }
        return n >= threads * 4 * PackedGemm.L * 4 ? 4 * PackedGemm.L : PackedGemm.L;
    }

    /** How C is shared between the threads: not at all, by blocks of columns or of rows. */
    private enum Split { NONE, COLUMNS, ROWS }

    /**
     * Small calls are not split. Otherwise split along n when C is at least as wide as tall (each
     * thread then re-packs only A, the smaller operand) or when there are too few rows to share
     * (including the one-row kernel); along m otherwise.
     */
    private Split split(int m, int n, int k, boolean transB) {
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN_WORK) {
            return Split.NONE;
        }
        boolean columns = n >= threads * Math.max(PackedGemm.NR, columnAlign(m, n, transB));
        boolean rows = m >= threads * PackedGemm.MR && m > PackedGemm.ROW_KERNEL_MAX_M;
        if (columns && (n >= m || !rows)) {
            return Split.COLUMNS;
        }
        return rows ? Split.ROWS : Split.NONE;
    }

    /**
     * total / parts rounded to the nearest multiple of align (at least one align); the last part
     * takes what is left. Rounding up gave the recurrent products of a 200-unit layer 3 panels of 48
     * columns on one thread and 1 1/6 on the other (n = 200); the nearest gives 2 and 2 1/6.
     */
    static int chunk(int total, int parts, int align) {
        long units = Math.round((double) total / parts / align);
        return (int) Math.max(1, units) * align;
    }

    /** Where part p of a split into {@link #chunk}s ends: the last part runs to the total. */
    private int partEnd(int p, int total, int chunk) {
        return p == threads - 1 ? total : Math.min(total, (p + 1) * chunk);
    }

    /**
     * Element-wise work below this many elements (or LSTM units: rows x hidden) stays on the calling
     * thread. The cell of one recurrent step runs between two products, on one core while the other
     * waited: at 32 x 256 units it was 7% of a 2x256 training step. Half of 2,048 units still
     * outweighs a hand-off of about a microsecond.
     */
    static final int ELEMENTWISE_PARALLEL_MIN = 2048;

    @Override
    public void sigmoid(float[] x, int off, int len) {
        if (len < 8 * ELEMENTWISE_PARALLEL_MIN) {
            VectorActivations.sigmoid(x, off, len);
        } else {
            forEachRange(len, PackedGemm.L, (from, to) -> VectorActivations.sigmoid(x, off + from, to - from));
        }
    }

    @Override
    public void tanh(float[] x, int off, int len) {
        if (len < 8 * ELEMENTWISE_PARALLEL_MIN) {
            VectorActivations.tanh(x, off, len);
        } else {
            forEachRange(len, PackedGemm.L, (from, to) -> VectorActivations.tanh(x, off + from, to - from));
        }
    }

    /** Rows are independent: shared between the threads, each through {@link LstmCell}'s forward. */
    @Override
    public void lstmForward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                            float[] c, int cOff, float[] tanhC, int tOff, float[] h, int hOff) {
        if (rows * hidden < ELEMENTWISE_PARALLEL_MIN) {
            LstmCell.forward(this, rows, hidden, gates, gOff, cPrev, cPrevOff, c, cOff, tanhC, tOff, h, hOff);
            return;
        }
        forEachRange(rows, 1, (r0, r1) -> LstmCell.forward(this, r1 - r0, hidden,
                gates, gOff + r0 * 4 * hidden, cPrev, cPrevOff + r0 * hidden, c, cOff + r0 * hidden,
                tanhC, tOff + r0 * hidden, h, hOff + r0 * hidden));
    }

    /**
     * {@code sums[j] += a[r][j]} row after row as in {@link Kernels#addColumnSums}, with a strip of
     * four vectors of sums held in registers down all the rows; strips are shared between threads.
     */
    @Override
    public void addColumnSums(int rows, int cols, float[] a, int aOff, int lda, float[] sums) {
        int strip = 4 * PackedGemm.L;
        int strips = (cols + strip - 1) / strip;
        int minStrips = Math.max(1, 16384 / Math.max(1, rows * strip));
        forEachRange(strips, minStrips, (s0, s1) -> {
            for (int q = s0; q < s1; q++) {
                int j = q * strip;
                if (j + strip <= cols) {
                    VectorActivations.addColumnSums4(rows, a, aOff + j, lda, sums, j);
                } else {
                    for (int r = 0; r < rows; r++) {
                        int row = aOff + r * lda;
                        for (int jj = j; jj < cols; jj++) {
                            sums[jj] += a[row + jj];
                        }
                    }
                }
            }
        });
    }

    /** The number of threads a large gemm is split over. */
    public int threads() {
        return threads;
    }

    @Override
    public double expShifted(float[] x, int off, int len, float shift, float[] out, int outOff) {
        return VectorActivations.expShifted(x, off, len, shift, out, outOff);
    }

    @Override
    public String name() {
        return "vector-" + PackedGemm.S.vectorBitSize() + "x" + threads;
    }

    /** Fused backward: see {@link VectorLstmCell}; the same bits as the reference loop. Rows shared as in forward. */
    @Override
    public void lstmBackward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                             float[] tanhC, int tOff, float[] dh, int dhOff, float[] dcNext, int dcOff,
                             float[] dGates, int dgOff) {
        if (rows * hidden < ELEMENTWISE_PARALLEL_MIN) {
            VectorLstmCell.backward(rows, hidden, gates, gOff, cPrev, cPrevOff, tanhC, tOff, dh, dhOff, dcNext, dcOff,
                    dGates, dgOff);
            return;
        }
        forEachRange(rows, 1, (r0, r1) -> VectorLstmCell.backward(r1 - r0, hidden,
                gates, gOff + r0 * 4 * hidden, cPrev, cPrevOff + r0 * hidden, tanhC, tOff + r0 * hidden,
                dh, dhOff + r0 * hidden, dcNext, dcOff + r0 * hidden, dGates, dgOff + r0 * 4 * hidden));
    }
}
