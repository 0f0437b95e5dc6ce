package dev.ballast.forecast;

import dev.ballast.corpora.timeseries.TimeSeries;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forecasting workflow end to end: split (hold out the last H points and a validation part before
 * them), train on the rest, forecast the hold-out from its start, score the model and the naive,
 * seasonal-naive and drift baselines on it, attach intervals calibrated on the validation residuals, and
 * optionally forecast {@code future} steps past the end of the data.
 *
 * <pre>{@code
 * TimeSeries s = TimeSeriesCsv.read(path, TimeSeriesCsv.Options.of("Passengers"));
 * ForecastConfig c = ForecastConfig.builder().horizon(24).season(12).transform("log").difference(12).build();
 * ForecastReport r = ForecastPipeline.run(s, c, 0, null);
 * System.out.println(r.metrics().mase() + " vs " + r.baselines().get("seasonal-naive").mase());
 * }</pre>
 */
public final class ForecastPipeline {

    private ForecastPipeline() {
    }

    public static ForecastReport run(TimeSeries series, ForecastConfig c, int future, ForecastTrainer.Listener listener) {
        long started = System.nanoTime();
        if (future < 0) {
            throw new ForecastException("--future must be >= 0, got " + future);
        }
        if (future > 0 && !series.covariateNames().isEmpty()) {
            throw new ForecastException("--future needs future values of the covariates "
                    + String.join(", ", series.covariateNames()) + ", which the data does not have");
        }
        double[] y = series.values();
        int minTrain = c.difference() + c.lookback() + (c.strategy() == Strategy.DIRECT ? c.horizon() : 1) + 1;
        HoldoutSplit split = HoldoutSplit.of(y.length, c.horizon(), c.validation(), minTrain);
        ForecastTrainer.Result trained = ForecastTrainer.train(y, series.covariates(), series.covariateNames(),
                series.source(), split, c, listener);
        Forecaster f = trained.forecaster();
        PredictionIntervals intervals = PredictionIntervals.fromResiduals(trained.residuals(), c.interval());

        int h = c.horizon();
        double[] history = Arrays.copyOf(y, split.validEnd());
        double[] actual = Arrays.copyOfRange(y, split.validEnd(), y.length);
        double[] forecast = f.forecast(y, series.covariates(), new int[] {split.validEnd()}, h)[0];
        double[][] band = band(forecast, intervals);
        ForecastMetrics metrics = ForecastMetrics.of(actual, forecast, history, c.season());
        Map<String, double[]> baselineValues = Baselines.all(history, h, c.season());
        Map<String, ForecastMetrics> baselines = new LinkedHashMap<>();
        baselineValues.forEach((name, values) -> baselines.put(name, ForecastMetrics.of(actual, values, history, c.season())));

        double[] fut = new double[0];
        double[][] futBand = {new double[0], new double[0]};
        if (future > 0) {
            fut = f.forecast(y, series.covariates(), new int[] {y.length}, future)[0];
            futBand = band(fut, intervals);
        }
        return new ForecastReport(series.source(), c, split, f, history, actual, forecast, band[0], band[1], metrics,
                baselines, baselineValues, fut, futBand[0], futBand[1], trained, (System.nanoTime() - started) * 1e-9);
    }

    private static double[][] band(double[] forecast, PredictionIntervals intervals) {
        double[] lo = new double[forecast.length];
        double[] hi = new double[forecast.length];
        for (int i = 0; i < forecast.length; i++) {
            double w = intervals.halfWidth(i + 1);
            lo[i] = forecast[i] - w;
            hi[i] = forecast[i] + w;
        }
        return new double[][] {lo, hi};
    }
}
