package dev.ballast.engine.math;

/**
 * Plain-Java reference kernels. Slow but obviously correct: every faster implementation is tested
 * against this one.
 */
public final class ScalarKernels implements Kernels {

    public static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        checkBeta(beta);
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, cRow, cRow + n, 0f);
            }
            // i-p-j order: the inner loop runs along a row of B and C, which is contiguous unless B is transposed.
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (aip == 0f) {
                    continue;
                }
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bOff + j * ldb + p];
                    }
                } else {
                    int bRow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bRow + j];
                    }
                }
            }
        }
    }

    @Override
    public void sigmoid(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            x[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    @Override
    public void tanh(float[] x, int off, int len) {
        for (int i = off; i < off + len; i++) {
            x[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    public double expShifted(float[] x, int off, int len, float shift, float[] out, int outOff) {
        double sum = 0;
        for (int i = 0; i < len; i++) {
            float e = (float) Math.exp(x[off + i] - shift);
            if (e < Float.MIN_NORMAL) {
                e = 0f; // no subnormals: the JVM has no flush-to-zero and they slow every later kernel
            }
            if (out != null) {
                out[outOff + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    public static void checkBeta(float beta) {
        if (beta != 0f && beta != 1f) {
            throw new IllegalArgumentException("beta must be 0 or 1, got " + beta);
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
