package dev.ballast.forecast;

import dev.ballast.engine.optim.ClipMode;

import dev.ballast.engine.optim.OptimizerKind;

import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.engine.nn.CellType;
import dev.ballast.training.StressRun;
import dev.ballast.training.StressRun.Outcome;
import dev.ballast.training.Trainer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Forecaster set-ups known to blow up, for {@code ballast stress}: each trained unprotected (no clipping,
 * recovery off), with the forecaster's defaults (global-norm clipping at 1, recovery on), and tuned (Adam
 * 3e-3, clipped). Judged by {@link StressRun#judge} on the final training loss (scaled units, comparable
 * with the first step's). They run on the embedded monthly series, so they need no data.
 */
public final class ForecastStress {

    /** One set-up: the changes to a small forecaster configuration that make it unstable. */
    public record Case(String name, String description, UnaryOperator<ForecastConfig.Builder> setup) {
    }

    private ForecastStress() {
    }

    public static List<Case> cases() {
        return List.of(
                new Case("forecast-lstm-sgd-high-lr", "LSTM forecaster, SGD lr 5",
                        b -> b.optimizer(OptimizerKind.SGD).lr(5)),
                new Case("forecast-rnn-tanh-long-lookback", "tanh RNN forecaster, 96-step look-back, SGD lr 1",
                        b -> b.cell(CellType.RNN_TANH).lookback(96).optimizer(OptimizerKind.SGD).lr(1)));
    }

    /** The common small configuration: 1x16, batch 16, 300 steps on the embedded series. */
    static ForecastConfig.Builder base(long seed) {
        return ForecastConfig.builder().horizon(12).season(12).hidden(16).layers(1).batch(16).steps(300)
                .evalEvery(100).diagnoseEvery(50).seed(seed);
    }

    /** Runs one case the three ways in run directories under {@code work}. */
    public static StressRun.Result run(Case c, Path work, long seed) {
        TimeSeries series = DefaultSeries.load();
        ForecastConfig.Builder b = c.setup().apply(base(seed));
        Outcome off = once(series, b.clip(ClipMode.NONE).recovery(false).build(), work.resolve(c.name() + "-unprotected"));
        Outcome on = once(series, b.clip(ClipMode.GLOBAL_NORM).clipNorm(1.0).recovery(true).build(),
                work.resolve(c.name() + "-protected"));
        Outcome ref = once(series, c.setup().apply(base(seed)).optimizer(OptimizerKind.ADAM).lr(3e-3).clip(ClipMode.GLOBAL_NORM)
                .clipNorm(1.0).recovery(true).build(), work.resolve(c.name() + "-reference"));
        return new StressRun.Result(c.name(), c.description(), off, on, ref);
    }

    private static Outcome once(TimeSeries series, ForecastConfig config, Path runDir) {
        StressRun.FirstLoss first = new StressRun.FirstLoss();
        List<Trainer<?>> ran = new java.util.ArrayList<>(1);
        return StressRun.judge(() -> ran.get(0), first, () -> ForecastPipeline.run(series, config, 0,
                new ForecastPipeline.Training(runDir, null, UnaryOperator.identity(), first, ran::add))
                .training().trained().trainLoss());
    }
}
