package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;

/**
 * Random orthogonal matrices for recurrent weights (Saxe et al. 2014): an orthogonal W_recurrent
 * keeps the norm of h through the linear part of the recurrence, so gradients neither explode nor
 * vanish at initialization. Computed as the Q of a QR decomposition of a Gaussian matrix by modified
 * Gram-Schmidt, in double; R's diagonal is positive by construction, which makes Q Haar-distributed
 * (the sign fix PyTorch applies after its QR).
 */
public final class Orthogonal {

    private Orthogonal() {
    }

    // dst: an (n, n) block at off with leading dimension ld
    /** Fills the n x n block of {@code dst} at {@code off} (row stride {@code ld}) with a random orthogonal matrix. */
    public static void fill(float[] dst, int off, int ld, int n, Rng rng) {
        double[][] cols = new double[n][n]; // cols[j] is column j
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < n; j++) {
                cols[j][r] = rng.nextGaussian();
            }
        }
        for (int j = 0; j < n; j++) {
            double[] q = cols[j];
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int r = 0; r < n; r++) {
                    dot += cols[k][r] * q[r];
                }
                for (int r = 0; r < n; r++) {
                    q[r] -= dot * cols[k][r];
                }
            }
            double norm = 0;
            for (int r = 0; r < n; r++) {
                norm += q[r] * q[r];
            }
            norm = Math.sqrt(norm);
            if (norm < 1e-12) {
                throw new IllegalStateException("degenerate Gaussian matrix in orthogonal init");
            }
            for (int r = 0; r < n; r++) {
                q[r] /= norm;
            }
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < n; j++) {
                dst[off + r * ld + j] = (float) cols[j][r];
            }
        }
    }
}
