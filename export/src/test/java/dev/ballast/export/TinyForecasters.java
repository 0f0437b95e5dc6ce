package dev.ballast.export;

import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.engine.Rng;
import dev.ballast.forecast.ForecastConfig;
import dev.ballast.forecast.ForecastPipeline;
import dev.ballast.forecast.ForecastReport;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.PredictionIntervals;
import dev.ballast.forecast.Scaler;
import dev.ballast.forecast.SeriesEncoding;
import dev.ballast.forecast.Strategy;
import dev.ballast.engine.nn.CellType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small forecasters: seeded random ones to check the graph, and a briefly trained one to check forecasts. */
final class TinyForecasters {

    private TinyForecasters() {
    }

    /** 10 years of a monthly series: level 10, seasonal amplitude 3, a slight trend, N(0, 0.2^2) noise. */
    static TimeSeries series() {
        Rng rng = new Rng(11);
        double[] y = new double[120];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 + 0.02 * t + 3 * Math.sin(2 * Math.PI * t / 12) + 0.2 * rng.nextGaussian();
        }
        return TimeSeries.of("synthetic", "y", y);
    }

    /** An untrained forecaster with random weights and a non-trivial encoding (phase features on, F = 3). */
    static Forecaster random(CellType cell, int layers, Strategy strategy, long seed) {
        ForecastConfig c = ForecastConfig.builder().horizon(4).season(12).lookback(10).hidden(7).layers(layers)
                .cell(cell).strategy(strategy).seed(seed).build();
        SeriesEncoding e = new SeriesEncoding("none", 1, new Scaler("standard", 0.1, 2.0), new Scaler[0], 12, true);
        Forecaster f = Forecaster.create(c, e, List.of());
        f.network().initialize(new Rng(seed));
        Rng r = new Rng(seed + 1);
        f.network().parameters().forEach(p -> {
            if (p.name().endsWith("bias")) { // non-zero biases so a wrong gate order cannot hide
                float[] b = p.value();
                for (int i = 0; i < b.length; i++) {
                    b[i] += (float) (0.5 * r.nextGaussian());
                }
            }
        });
        return f;
    }

    /** Trains a small forecaster for a few seconds at most and saves it, with its intervals, in {@code dir}. */
    static ForecastReport trainAndSave(Path dir, CellType cell, Strategy strategy) {
        ForecastConfig c = ForecastConfig.builder().horizon(6).season(12).lookback(12).hidden(8).steps(60)
                .batch(16).evalEvery(20).cell(cell).strategy(strategy).seed(5).build();
        ForecastReport r = ForecastPipeline.run(series(), c, 0);
        ForecasterFiles.save(dir, r.forecaster(), Map.of("mase", r.metrics().mase()), "synthetic",
                PredictionIntervals.fromResiduals(r.training().residuals(), c.interval()));
        return r;
    }
}
