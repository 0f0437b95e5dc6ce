package dev.ballast.forecast;

import java.util.Map;

/**
 * What one forecasting run produced: the hold-out, the model's forecast of it with its interval, the
 * metrics of the model and of each baseline on the same hold-out, and the forecast past the end of the
 * data when one was asked for (empty arrays otherwise).
 *
 * @param baselines       baseline name -> metrics, in the order naive, seasonal-naive, drift
 * @param baselineValues  baseline name -> its forecast of the hold-out
 */
public record ForecastReport(String source, ForecastConfig config, HoldoutSplit split, Forecaster forecaster,
                             double[] history, double[] actual, double[] forecast, double[] lower, double[] upper,
                             ForecastMetrics metrics, Map<String, ForecastMetrics> baselines,
                             Map<String, double[]> baselineValues, double[] future, double[] futureLower,
                             double[] futureUpper, ForecastTrainer.Result training, double seconds) {

    /** MASE of the model over MASE of the seasonal-naive baseline; below 1 the model wins. */
    public double maseRatio() {
        return metrics.mase() / baselines.get("seasonal-naive").mase();
    }
}
