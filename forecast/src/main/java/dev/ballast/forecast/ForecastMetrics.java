package dev.ballast.forecast;

/**
 * Point-forecast accuracy on a hold-out of n values (Hyndman and Koehler 2006):
 * <pre>
 *   MAE   = mean |a - f|
 *   RMSE  = sqrt(mean (a - f)^2)
 *   MAPE  = 100 * mean |a - f| / |a|            over the points with a != 0 (NaN if there are none)
 *   sMAPE = 100 * mean 2 |a - f| / (|a| + |f|)  (a term with a = f = 0 counts 0)
 *   MASE  = MAE / mean_{t &gt;= m} |y_t - y_{t-m}|  the in-sample MAE of the seasonal-naive forecast on the
 *                                              history; NaN when that is 0
 * </pre>
 * MASE below 1 beats a one-season-back guess made inside the history; the ratio of two MASE values on
 * the same hold-out is the ratio of their MAEs.
 */
public record ForecastMetrics(double mae, double rmse, double mape, double smape, double mase) {

    /**
     * @param actual   (n) the hold-out
     * @param forecast (n) the forecast of it
     * @param history  the values before the hold-out (the MASE scale is computed on them)
     * @param season   m; falls back to 1 when the history is not longer than m
     */
    public static ForecastMetrics of(double[] actual, double[] forecast, double[] history, int season) {
        if (actual.length != forecast.length || actual.length == 0) {
            throw new IllegalArgumentException("actual has " + actual.length + " values, forecast " + forecast.length);
        }
        int n = actual.length;
        double abs = 0;
        double sq = 0;
        double ape = 0;
        int apeCount = 0;
        double sape = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.abs(actual[i] - forecast[i]);
            abs += e;
            sq += e * e;
            if (actual[i] != 0) {
                ape += e / Math.abs(actual[i]);
                apeCount++;
            }
            double denom = Math.abs(actual[i]) + Math.abs(forecast[i]);
            sape += denom == 0 ? 0 : 2 * e / denom;
        }
        double mae = abs / n;
        double scale = seasonalNaiveScale(history, season);
        return new ForecastMetrics(mae, Math.sqrt(sq / n), apeCount == 0 ? Double.NaN : 100 * ape / apeCount,
                100 * sape / n, scale > 0 ? mae / scale : Double.NaN);
    }

    /** mean_{t &gt;= m} |y_t - y_{t-m}| over the history (m = 1 when the history is too short for m). */
    public static double seasonalNaiveScale(double[] history, int season) {
        int m = season >= 1 && history.length > season ? season : 1;
        if (history.length <= m) {
            return Double.NaN;
        }
        double s = 0;
        for (int t = m; t < history.length; t++) {
            s += Math.abs(history[t] - history[t - m]);
        }
        return s / (history.length - m);
    }
}
