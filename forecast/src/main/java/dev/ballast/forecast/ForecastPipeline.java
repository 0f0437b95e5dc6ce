package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import dev.ballast.corpora.timeseries.TimeSeries;

import dev.ballast.training.Trainer;
import dev.ballast.training.TrainingListener;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The forecasting workflow end to end: split (hold out the last H points and a validation part before
 * them), train on the rest, forecast the hold-out from its start, score the model and the naive,
 * seasonal-naive and drift baselines on it, attach intervals calibrated on the validation residuals, and
 * optionally forecast {@code future} steps past the end of the data.
 *
 * <pre>{@code
 * TimeSeries s = TimeSeriesCsv.read(path, TimeSeriesCsv.Options.of("Passengers"));
 * ForecastConfig c = ForecastConfig.builder().horizon(24).season(12).transform(Transform.LOG).difference(12).build();
 * ForecastReport r = ForecastPipeline.run(s, c, 0);
 * System.out.println(r.metrics().mase() + " vs " + r.baselines().get("seasonal-naive").mase());
 * }</pre>
 */
public final class ForecastPipeline {

    private ForecastPipeline() {
    }

    /**
     * Where and how the training of a pipeline run happens.
     *
     * @param runDir   run directory for checkpoints, stability.json and report.html; null for a temporary one
     * @param resume   a run or checkpoint directory to continue instead of starting fresh; null for a new run
     * @param overrides applied to the saved configuration on resume (more steps)
     * @param listener progress hooks; may be null
     * @param started  called with the trainer before it runs (e.g. to stop it on Ctrl-C); may be null
     */
    public record Training(Path runDir, Path resume, UnaryOperator<ForecastConfig> overrides,
                           TrainingListener listener, Consumer<Trainer<ForecastTask>> started) {

        /** Training in a temporary directory, reporting to {@code listener}. */
        public static Training temporary(TrainingListener listener) {
            return new Training(null, null, UnaryOperator.identity(), listener, null);
        }
    }

    /** {@link #run(TimeSeries, ForecastConfig, int, Training)} in a temporary run directory, silently. */
    public static ForecastReport run(TimeSeries series, ForecastConfig c, int future) {
        return run(series, c, future, Training.temporary(null));
    }

    public static ForecastReport run(TimeSeries series, ForecastConfig config, int future, Training training) {
        long started = System.nanoTime();
        if (future < 0) {
            throw InputException.field("future", "must be >= 0, got " + future);
        }
        if (future > 0 && !series.covariateNames().isEmpty()) {
            throw InputException.field("future", "needs future values of the covariates "
                    + String.join(", ", series.covariateNames()) + ", which the data does not have");
        }
        double[] y = series.values();
        ForecastTrainer.Result trained;
        if (training.resume() != null) {
            trained = ForecastTrainer.resume(training.resume(), y, series.covariates(), series.source(),
                    training.overrides(), training.listener(), training.started());
        } else {
            HoldoutSplit split = HoldoutSplit.of(y.length, config.horizon(), config.validation(), config.minTrainPoints());
            trained = ForecastTrainer.train(y, series.covariates(), series.covariateNames(), series.source(), split,
                    config, training.runDir(), training.listener(), training.started());
        }
        Forecaster f = trained.forecaster();
        ForecastConfig c = f.config();
        HoldoutSplit split = HoldoutSplit.of(y.length, c.horizon(), c.validation(), c.minTrainPoints());
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
