package dev.ballast.forecast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simple forecasts every model must be compared with (Hyndman and Athanasopoulos, "Forecasting:
 * Principles and Practice", section 5.2), from a history y_1..y_T for h = 1..H:
 * <pre>
 *   naive:           y_T
 *   seasonal-naive:  y_{T + h - m * ceil(h / m)}     the value one (or more) seasons back
 *   drift:           y_T + h (y_T - y_1) / (T - 1)    the line through the first and last values
 * </pre>
 */
public final class Baselines {

    private Baselines() {
    }

    public static double[] naive(double[] history, int horizon) {
        double[] f = new double[horizon];
        java.util.Arrays.fill(f, history[history.length - 1]);
        return f;
    }

    public static double[] seasonalNaive(double[] history, int horizon, int season) {
        int m = Math.max(1, Math.min(season, history.length));
        int t = history.length;
        double[] f = new double[horizon];
        for (int h = 1; h <= horizon; h++) {
            int k = (h + m - 1) / m; // ceil(h / m)
            f[h - 1] = history[t + h - m * k - 1];
        }
        return f;
    }

    public static double[] drift(double[] history, int horizon) {
        int t = history.length;
        double slope = t > 1 ? (history[t - 1] - history[0]) / (t - 1) : 0;
        double[] f = new double[horizon];
        for (int h = 1; h <= horizon; h++) {
            f[h - 1] = history[t - 1] + h * slope;
        }
        return f;
    }

    /** naive, seasonal-naive and drift, in that order, keyed by those names. */
    public static Map<String, double[]> all(double[] history, int horizon, int season) {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("naive", naive(history, horizon));
        m.put("seasonal-naive", seasonalNaive(history, horizon, season));
        m.put("drift", drift(history, horizon));
        return m;
    }
}
