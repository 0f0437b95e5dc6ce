package dev.ballast.engine.math;

import dev.ballast.engine.Rng;

/**
 * The largest singular value of a dense matrix by power iteration on A^T A (Golub &amp; Van Loan,
 * "Matrix Computations", §8.2.1). For a recurrent matrix it says how much one step can stretch the
 * hidden state: persistently above 1 for a vanilla RNN means exploding gradients are possible, well
 * below 1 means they vanish (Pascanu, Mikolov &amp; Bengio 2013, §2.1).
 *
 * <pre>{@code
 * double sigma = SpectralNorm.of(w, 0, rows, cols, cols, 50); // a (rows, cols) block of a row-major array
 * }</pre>
 */
public final class SpectralNorm {

    private SpectralNorm() {
    }

    /**
     * @param a     row-major storage
     * @param off   index of element (0, 0)
     * @param rows  rows of the block
     * @param cols  columns of the block
     * @param ld    row stride of the storage
     * @param iters power iterations; 30 to 50 give a few digits for the matrices here
     */
    public static double of(float[] a, int off, int rows, int cols, int ld, int iters) {
        // A fixed-seed start vector: the estimate is reproducible, and a random start is almost surely
        // not orthogonal to the top right-singular vector.
        Rng rng = new Rng(0x5EC7);
        double[] v = new double[cols];
        for (int j = 0; j < cols; j++) {
            v[j] = rng.nextGaussian();
        }
        normalize(v);
        double[] u = new double[rows];
        double sigma = 0;
        for (int it = 0; it < iters; it++) {
            // u = A v
            for (int i = 0; i < rows; i++) {
                double s = 0;
                int r = off + i * ld;
                for (int j = 0; j < cols; j++) {
                    s += a[r + j] * v[j];
                }
                u[i] = s;
            }
            sigma = Math.sqrt(dot(u, u));
            if (sigma == 0 || !Double.isFinite(sigma)) {
                return sigma;
            }
            // v = A^T u / |A^T u|
            java.util.Arrays.fill(v, 0);
            for (int i = 0; i < rows; i++) {
                int r = off + i * ld;
                double ui = u[i];
                for (int j = 0; j < cols; j++) {
                    v[j] += a[r + j] * ui;
                }
            }
            normalize(v);
        }
        return sigma;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static void normalize(double[] v) {
        double n = Math.sqrt(dot(v, v));
        if (n > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= n;
            }
        }
    }
}
