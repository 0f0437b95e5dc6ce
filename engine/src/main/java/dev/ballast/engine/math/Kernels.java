package dev.ballast.engine.math;

/**
 * The numeric kernels every layer is written against: one small interface, a scalar reference
 * implementation that is always there ({@link ScalarKernels}) and faster ones chosen at run time
 * ({@link KernelProvider}). Layers never loop over matrices themselves, so speed work replaces
 * kernels without touching the layers.
 *
 * <p>All matrices are row-major {@code float[]} slices: element (r, c) of a matrix with leading
 * dimension {@code ld} stored from {@code off} is {@code a[off + r * ld + c]}.
 */
public interface Kernels {

    /**
     * General matrix multiply, {@code C = beta * C + op(A) * op(B)}, as in BLAS sgemm with alpha 1.
     *
     * <p>Shapes: op(A) is (m, k), op(B) is (k, n), C is (m, n). {@code op(X)} is X or its transpose;
     * with {@code transA} the stored A is (k, m), with {@code transB} the stored B is (n, k).
     * {@code beta} is 0 (overwrite, C's old contents are ignored even if NaN) or 1 (accumulate).
     *
     * <p>Implementations must give results that do not depend on the number of threads: each
     * element of C is a sum over k taken in one fixed order.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * Prepares op(B) (k, n) for repeated {@link #gemm(boolean, int, float[], int, int, PackedMatrix,
     * float, float[], int, int)} calls (arguments as in {@link #gemm(boolean, boolean, int, int, int,
     * float[], int, int, float[], int, int, float, float[], int, int) gemm}). {@code reuse} is a
     * previous result whose buffer may be recycled, or null. B must not change while the result is
     * in use. The default keeps a reference to B and packs nothing.
     */
    default PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix reuse) {
        return new PackedMatrix(transB, k, n, b, bOff, ldb, null);
    }

    /**
     * {@code C = beta * C + op(A) * B} with B prepared by {@link #pack}: bit-for-bit the same as
     * the unpacked gemm on the B that was packed. op(A) is (m, B.rows()), C is (m, B.columns()).
     */
    default void gemm(boolean transA, int m, float[] a, int aOff, int lda, PackedMatrix b,
                      float beta, float[] c, int cOff, int ldc) {
        gemm(transA, b.trans, m, b.n, b.k, a, aOff, lda, b.b, b.bOff, b.ldb, beta, c, cOff, ldc);
    }

    /** In place: {@code x[i] = 1 / (1 + exp(-x[i]))} for i in [off, off + len). */
    void sigmoid(float[] x, int off, int len);

    /** In place: {@code x[i] = tanh(x[i])} for i in [off, off + len). */
    void tanh(float[] x, int off, int len);

    /**
     * {@code out[outOff + i] = exp(x[off + i] - shift)} for i in [0, len) and their sum — the inner
     * loop of a softmax (shift = the row maximum, so every argument is at most 0). {@code out} may be
     * null to get the sum alone. Results below the smallest normal float are flushed to 0.
     */
    double expShifted(float[] x, int off, int len, float shift, float[] out, int outOff);

    /**
     * The element-wise forward of {@code rows} LSTM steps (see {@link LstmCell} for the math): each row
     * of {@code gates} holds 4H pre-activations (i, f, g, o), replaced in place by the activations;
     * {@code c}, {@code tanhC} and {@code h} receive c_t, tanh(c_t) and h_t, H values per row, from
     * the previous cell state {@code cPrev}.
     */
    default void lstmForward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                             float[] c, int cOff, float[] tanhC, int tOff, float[] h, int hOff) {
        LstmCell.forward(this, rows, hidden, gates, gOff, cPrev, cPrevOff, c, cOff, tanhC, tOff, h, hOff);
    }

    /**
     * The element-wise backward of {@code rows} LSTM steps: from the gate activations, c_{t-1},
     * tanh(c_t), dL/dh_t and the cell gradient carried from step t+1 ({@code dcNext}), writes the
     * pre-activation gradients into {@code dGates} (4H per row) and replaces {@code dcNext} with what
     * flows on to step t-1.
     */
    default void lstmBackward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                              float[] tanhC, int tOff, float[] dh, int dhOff, float[] dcNext, int dcOff,
                              float[] dGates, int dgOff) {
        LstmCell.backward(rows, hidden, gates, gOff, cPrev, cPrevOff, tanhC, tOff, dh, dhOff, dcNext, dcOff,
                dGates, dgOff);
    }

    /**
     * Runs {@code body} over the index range [0, n), cut into contiguous ranges of at least
     * {@code minRange} indices that may run on several threads at once; every index is in exactly
     * one range. Meant for work whose result for an index does not depend on how the range was cut
     * (element-wise updates, independent rows or columns), so the results stay the same for any
     * thread count. The default runs [0, n) on the calling thread.
     */
    default void forEachRange(int n, int minRange, RangeBody body) {
        if (n > 0) {
            body.run(0, n);
        }
    }

    /** A piece of work over the indices [from, to), see {@link #forEachRange}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /**
     * {@code sums[j] += a[aOff + r*lda + j]} over the rows r = 0, 1, .., rows-1 in that order, for
     * j in [0, cols): a bias gradient. Columns are independent, so they may be shared between threads.
     */
    default void addColumnSums(int rows, int cols, float[] a, int aOff, int lda, float[] sums) {
        forEachRange(cols, 256, (from, to) -> {
            for (int r = 0; r < rows; r++) {
                int row = aOff + r * lda;
                for (int j = from; j < to; j++) {
                    sums[j] += a[row + j];
                }
            }
        });
    }

    /**
     * {@code sum x[i]^2} over the whole array, in double: a gradient's squared norm. The default is
     * {@link Norms#sumOfSquares(float[])}; other kernels may group the terms differently (but always
     * the same way for a given array length, whatever their thread count).
     */
    default double sumOfSquares(float[] x) {
        return Norms.sumOfSquares(x);
    }

    /** The largest of x[off, off + len) (len at least 1); NaN if any element is NaN. */
    default float max(float[] x, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code vector-512x2}. */
    String name();

    /** Convenience for dense, unpadded matrices starting at offset 0. */
    default void gemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, float[] b, float beta, float[] c) {
        gemm(transA, transB, m, n, k,
                a, 0, transA ? m : k,
                b, 0, transB ? k : n,
                beta, c, 0, n);
    }
}
