package dev.ballast.engine.math;

/**
 * Sums of squares over parameter-sized arrays, for gradient clipping and the stability monitor.
 * Run once or twice per step over every parameter, so speed matters: one running double sum is a
 * chain of dependent additions (one element per add latency, ~4 cycles); eight independent partial
 * sums over interleaved elements keep the adders busy. The partial sums are combined in a fixed
 * order, so the result depends only on the input, not on the machine or the thread count.
 */
public final class Norms {

    private static final int LANES = 8;

    private Norms() {
    }

    /** {@code sum x[i]^2} over the whole array, accumulated in double. */
    public static double sumOfSquares(float[] x) {
        return sumOfSquares(x, 0, x.length);
    }

    /** {@code sum x[i]^2} for i in [off, off + len), accumulated in double. */
    public static double sumOfSquares(float[] x, int off, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int end = off + len;
        int i = off;
        for (; i + LANES <= end; i += LANES) {
            double a0 = x[i], a1 = x[i + 1], a2 = x[i + 2], a3 = x[i + 3];
            double a4 = x[i + 4], a5 = x[i + 5], a6 = x[i + 6], a7 = x[i + 7];
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
            s4 += a4 * a4;
            s5 += a5 * a5;
            s6 += a6 * a6;
            s7 += a7 * a7;
        }
        for (; i < end; i++) {
            double a = x[i];
            s0 += a * a;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * {@code [sum w[i]^2, sum (w[i] - prev[i])^2]} over the whole arrays (equal lengths): the squared
     * weight norm and squared update norm in one pass, written into {@code out[0]} and {@code out[1]}.
     */
    public static void sumOfSquaresAndDelta(float[] w, float[] prev, double[] out) {
        if (prev.length != w.length) {
            throw new IllegalArgumentException("length mismatch: " + w.length + " vs " + prev.length);
        }
        double w0 = 0, w1 = 0, w2 = 0, w3 = 0;
        double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        int i = 0;
        for (; i + 4 <= w.length; i += 4) {
            double a0 = w[i], a1 = w[i + 1], a2 = w[i + 2], a3 = w[i + 3];
            double e0 = a0 - prev[i], e1 = a1 - prev[i + 1], e2 = a2 - prev[i + 2], e3 = a3 - prev[i + 3];
            w0 += a0 * a0;
            w1 += a1 * a1;
            w2 += a2 * a2;
            w3 += a3 * a3;
            d0 += e0 * e0;
            d1 += e1 * e1;
            d2 += e2 * e2;
            d3 += e3 * e3;
        }
        for (; i < w.length; i++) {
            double a = w[i];
            double e = a - prev[i];
            w0 += a * a;
            d0 += e * e;
        }
        out[0] = (w0 + w1) + (w2 + w3);
        out[1] = (d0 + d1) + (d2 + d3);
    }
}
