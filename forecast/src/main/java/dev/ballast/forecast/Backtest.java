package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import dev.ballast.corpora.timeseries.TimeSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolling-origin evaluation (Tashman 2000): the series is cut at K earlier points, each H before the
 * previous one (the last cut is the normal hold-out), and at each cut a fresh model is fitted on the data
 * before it and scored on the H points after it, next to the baselines. The averages say more than one
 * lucky or unlucky hold-out.
 *
 * @param cuts      one report per cut, latest first
 * @param mean      the model's metrics averaged over the cuts
 * @param baselines each baseline's metrics averaged over the cuts
 */
public record Backtest(List<ForecastReport> cuts, ForecastMetrics mean, Map<String, ForecastMetrics> baselines) {

    public static Backtest run(TimeSeries series, ForecastConfig c, int folds, dev.ballast.training.TrainingListener listener) {
        if (folds < 1) {
            throw InputException.field("backtest", "must be >= 1, got " + folds);
        }
        List<ForecastReport> cuts = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
            int end = series.length() - k * c.horizon();
            cuts.add(ForecastPipeline.run(truncate(series, end), c, 0, ForecastPipeline.Training.temporary(listener)));
        }
        Map<String, ForecastMetrics> baselines = new LinkedHashMap<>();
        for (String name : cuts.get(0).baselines().keySet()) {
            baselines.put(name, average(cuts.stream().map(r -> r.baselines().get(name)).toList()));
        }
        return new Backtest(cuts, average(cuts.stream().map(ForecastReport::metrics).toList()), baselines);
    }

    /**
     * Checks, before anything is trained, that a series of {@code length} points holds {@code folds}
     * origins: the earliest cut, {@code (folds - 1) * H} points before the end, must still leave a hold-out,
     * validation points and enough training windows for the look-back. One line naming the largest
     * {@code --backtest} that fits otherwise.
     */
    public static void requireFeasible(int length, ForecastConfig c, int folds) {
        if (folds < 1) {
            throw new InputException("--backtest must be >= 1, got " + folds);
        }
        int h = c.horizon();
        int minTrain = c.minTrainPoints();
        int fitting = 0;
        while (fitting < folds && fits(length - (long) fitting * h, h, c.validation(), minTrain)) {
            fitting++;
        }
        if (fitting < folds) {
            long earliest = Math.max(0, length - (long) (folds - 1) * h);
            throw new InputException("--backtest " + folds + " needs origins " + h + " points apart (--horizon): the"
                    + " earliest leaves " + earliest + " of the " + length + " points, too few to hold out " + h
                    + " and train with --lookback " + c.lookback() + " (at least " + minTrain + " training points);"
                    + (fitting == 0 ? " the series is too short for even one" : " at most --backtest " + fitting + " fits"));
        }
    }

    /** As {@link HoldoutSplit#of}: whether a series ending at {@code end} still splits (validation null = automatic). */
    private static boolean fits(long end, int horizon, Integer validation, int minTrain) {
        if (end <= 0) {
            return false;
        }
        long v = validation != null ? validation : Math.max(1, Math.min(horizon, end / 5));
        return end - horizon - v >= minTrain;
    }

    static TimeSeries truncate(TimeSeries s, int end) {
        double[][] cov = new double[s.covariates().length][];
        for (int k = 0; k < cov.length; k++) {
            cov[k] = Arrays.copyOf(s.covariates()[k], end);
        }
        return new TimeSeries(s.source(), s.valueName(), Arrays.copyOf(s.values(), end),
                s.times() == null ? null : Arrays.copyOf(s.times(), end), s.covariateNames(), cov);
    }

    static ForecastMetrics average(List<ForecastMetrics> ms) {
        double mae = 0;
        double rmse = 0;
        double mape = 0;
        double smape = 0;
        double mase = 0;
        for (ForecastMetrics m : ms) {
            mae += m.mae();
            rmse += m.rmse();
            mape += m.mape();
            smape += m.smape();
            mase += m.mase();
        }
        int n = ms.size();
        return new ForecastMetrics(mae / n, rmse / n, mape / n, smape / n, mase / n);
    }
}
