package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * How raw values become the network's inputs and targets, and back:
 * <pre>
 *   z_t = log y_t  (transform log)  or  y_t
 *   d_t = z_t - z_{t-lag}  (difference lag &gt; 0)  or  z_t      defined for t &gt;= lag
 *   s_t = scaler(d_t)                                           fitted on the training part only
 * </pre>
 * The log makes multiplicative seasonality additive and the difference removes a trend, so a series
 * that grows out of its training range (airline passengers) stays inside the range the network saw.
 * Each step's input row is {@code [s_t, scaled covariates..., sin(2 pi t/m), cos(2 pi t/m)]}; the phase
 * pair tells the network where in the season it is, which a lookback shorter than the season (daily data
 * with m = 365) cannot.
 *
 * <p>Saved in {@code forecaster.json} as {@code encoding}: {@code transform}, {@code difference} (the lag),
 * {@code scaler}, {@code covariate_scalers}, {@code season}, {@code phase_features}.
 *
 * @param transform          {@code none} or {@code log}
 * @param lag                the difference lag, 0 for none
 * @param scaler             the target scaler (on d)
 * @param covariateScalers   one standard scaler per covariate
 * @param season             m; the phase features are used when {@code phase} is set
 * @param phase              whether rows carry the seasonal phase
 */
public record SeriesEncoding(@JsonProperty(required = true) String transform, @JsonProperty("difference") int lag,
                             @JsonProperty(required = true) Scaler scaler,
                             @JsonProperty("covariate_scalers") Scaler[] covariateScalers, int season,
                             @JsonProperty("phase_features") boolean phase) {

    public SeriesEncoding {
        covariateScalers = covariateScalers == null ? new Scaler[0] : covariateScalers;
    }

    /** Fits the scalers on the part of the series before {@code trainEnd}. */
    public static SeriesEncoding fit(double[] y, double[][] covariates, int trainEnd, ForecastConfig c, String source) {
        if (c.transform() == Transform.LOG) {
            for (int t = 0; t < y.length; t++) {
                if (!(y[t] > 0)) {
                    throw InputException.field("transform", "log needs positive values, but " + source
                            + " has " + y[t] + " at position " + (t + 1));
                }
            }
        }
        double[] d = differenced(transformed(y, c.transform().id()), c.difference());
        Scaler scaler = Scaler.fit(c.scale(), d, c.difference(), trainEnd);
        Scaler[] cov = new Scaler[covariates.length];
        for (int k = 0; k < cov.length; k++) {
            cov[k] = Scaler.fit(ScaleKind.STANDARD, covariates[k], 0, trainEnd);
        }
        return new SeriesEncoding(c.transform().id(), c.difference(), scaler, cov, c.season(), c.usesPhase());
    }

    /** Inputs per row. */
    public int features() {
        return 1 + covariateScalers.length + (phase ? 2 : 0);
    }

    /** The first position with a defined s (the lag). */
    public int first() {
        return lag;
    }

    /** s for every position (0 before {@link #first()}). */
    public double[] encode(double[] y) {
        double[] d = differenced(transformed(y, transform), lag);
        double[] s = new double[y.length];
        for (int t = lag; t < y.length; t++) {
            s[t] = scaler.transform(d[t]);
        }
        return s;
    }

    /**
     * Turns predicted s for positions {@code origin, origin+1, ...} back into values, given the actual
     * values before {@code origin} (at least {@code lag} of them).
     */
    public double[] decode(double[] y, int origin, double[] s) {
        double[] z = new double[origin + s.length];
        double[] known = transformed(Arrays.copyOf(y, origin), transform);
        System.arraycopy(known, 0, z, 0, origin);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            int t = origin + i;
            double d = scaler.inverse(s[i]);
            z[t] = lag > 0 ? d + z[t - lag] : d;
            out[i] = transform.equals("log") ? Math.exp(z[t]) : z[t];
        }
        return out;
    }

    // out: one row of features() floats at off
    /** Writes the input row of position t whose (scaled) value is {@code s}; covariates must exist at t. */
    public void row(int t, double s, double[][] covariates, float[] out, int off) {
        out[off] = (float) s;
        int j = off + 1;
        for (int k = 0; k < covariateScalers.length; k++) {
            if (t >= covariates[k].length) {
                throw new InputException("forecasting position " + (t + 1) + " needs covariate values there, "
                        + "but the data ends at " + covariates[k].length + "; forecast within the data or drop covariates");
            }
            out[j++] = (float) covariateScalers[k].transform(covariates[k][t]);
        }
        if (phase) {
            double angle = 2 * Math.PI * Math.floorMod(t, season) / season;
            out[j++] = (float) Math.sin(angle);
            out[j] = (float) Math.cos(angle);
        }
    }

    static double[] transformed(double[] y, String transform) {
        if (!transform.equals("log")) {
            return y.clone();
        }
        double[] z = new double[y.length];
        for (int t = 0; t < y.length; t++) {
            z[t] = Math.log(y[t]);
        }
        return z;
    }

    static double[] differenced(double[] z, int lag) {
        if (lag == 0) {
            return z;
        }
        double[] d = new double[z.length];
        for (int t = lag; t < z.length; t++) {
            d[t] = z[t] - z[t - lag];
        }
        return d;
    }
}
