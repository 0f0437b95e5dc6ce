package dev.ballast.forecast;


/**
 * An affine scaling {@code z = (x - shift) / scale}, fitted on the training part only so nothing about
 * the hold-out leaks into the inputs:
 * <ul>
 *   <li>{@code standard}: shift = mean, scale = standard deviation (population);</li>
 *   <li>{@code minmax}: shift = min, scale = max - min, so the training part spans [0, 1];</li>
 *   <li>{@code mean}: shift = 0, scale = mean |x| (the "mean scaling" of DeepAR, Salinas et al. 2020),
 *       which keeps 0 at 0 and suits positive series.</li>
 * </ul>
 * A scale that is zero or negligible (a constant training part) is replaced by 1, so a flat series is
 * shifted but never divided by ~0.
 *
 * @param kind  {@code standard}, {@code minmax} or {@code mean}
 */
public record Scaler(String kind, double shift, double scale) {

    /** Scales below this fraction of the data's magnitude count as zero. */
    static final double NEGLIGIBLE = 1e-12;

    public Scaler {
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(shift)) {
            throw new IllegalArgumentException("scaler needs a finite shift and a positive scale, got " + shift + ", " + scale);
        }
    }

    /** The identity: shift 0, scale 1. */
    public static Scaler identity() {
        return new Scaler("standard", 0, 1);
    }

    /** Fits on {@code x[from, to)}. */
    public static Scaler fit(ScaleKind kind, double[] x, int from, int to) {
        if (to <= from) {
            throw new IllegalArgumentException("cannot fit a scaler on an empty range [" + from + ", " + to + ")");
        }
        int n = to - from;
        double shift;
        double scale;
        double magnitude = 0;
        for (int i = from; i < to; i++) {
            magnitude = Math.max(magnitude, Math.abs(x[i]));
        }
        switch (kind) {
            case STANDARD -> {
                double mean = 0;
                for (int i = from; i < to; i++) {
                    mean += x[i];
                }
                mean /= n;
                double var = 0;
                for (int i = from; i < to; i++) {
                    var += (x[i] - mean) * (x[i] - mean);
                }
                shift = mean;
                scale = Math.sqrt(var / n);
            }
            case MINMAX -> {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    min = Math.min(min, x[i]);
                    max = Math.max(max, x[i]);
                }
                shift = min;
                scale = max - min;
            }
            case MEAN -> {
                double sum = 0;
                for (int i = from; i < to; i++) {
                    sum += Math.abs(x[i]);
                }
                shift = 0;
                scale = sum / n;
            }
            default -> throw new IllegalStateException("unknown scale kind " + kind);
        }
        if (!(scale > NEGLIGIBLE * Math.max(1, magnitude))) {
            scale = 1; // zero-scale guard: a constant training part
        }
        return new Scaler(kind.id(), shift, scale);
    }

    public double transform(double x) {
        return (x - shift) / scale;
    }

    public double inverse(double z) {
        return z * scale + shift;
    }
}
