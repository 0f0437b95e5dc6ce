package dev.ballast.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Empirical prediction intervals from out-of-sample residuals (the validation forecasts): the half-width
 * at horizon h is the {@code level} quantile of |actual - forecast| over the residuals at horizon h,
 * pooled with the nearest shorter horizons until at least {@link #MIN_RESIDUALS} are in the pool (long
 * horizons have few origins). Widths never shrink as h grows, and past the last calibrated horizon the
 * last width is kept. No distribution is assumed, so skewed or heavy-tailed errors are handled as they
 * come (cf. Hyndman and Athanasopoulos, section 5.5, "prediction intervals from bootstrapped residuals").
 */
public final class PredictionIntervals {

    /** Fewest residuals a quantile is taken from. */
    static final int MIN_RESIDUALS = 10;

    private final double[] halfWidths; // (K) for h = 1..K

    private PredictionIntervals(double[] halfWidths) {
        this.halfWidths = halfWidths;
    }

    // residuals: [origin][h], NaN where unknown
    public static PredictionIntervals fromResiduals(double[][] residuals, double level) {
        int k = 0;
        for (double[] r : residuals) {
            k = Math.max(k, r.length);
        }
        double[] widths = new double[Math.max(1, k)];
        double previous = 0;
        for (int h = 0; h < k; h++) {
            List<Double> pool = new ArrayList<>();
            for (int back = h; back >= 0 && (pool.size() < MIN_RESIDUALS || back == h); back--) {
                for (double[] r : residuals) {
                    if (back < r.length && !Double.isNaN(r[back])) {
                        pool.add(Math.abs(r[back]));
                    }
                }
            }
            double w = pool.isEmpty() ? previous : quantile(pool, level);
            widths[h] = Math.max(previous, w);
            previous = widths[h];
        }
        return new PredictionIntervals(widths);
    }

    /** Intervals with known half-widths for h = 1..K (as saved with a forecaster); K &gt;= 1, each finite and &gt;= 0. */
    public static PredictionIntervals of(double[] halfWidths) {
        if (halfWidths.length == 0) {
            throw new IllegalArgumentException("prediction intervals need at least one half-width");
        }
        for (double w : halfWidths) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("prediction interval half-widths must be finite and >= 0, got " + w);
            }
        }
        return new PredictionIntervals(halfWidths.clone());
    }

    /** The half-width at horizon h (1-based). */
    public double halfWidth(int h) {
        return halfWidths[Math.min(h, halfWidths.length) - 1];
    }

    /** The calibrated half-widths for h = 1..K. */
    public double[] halfWidths() {
        return halfWidths.clone();
    }

    /** Linear-interpolated quantile (type 7, as R and numpy default). */
    static double quantile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }
}
