package dev.ballast.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.timeseries.FillPolicy;
import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.corpora.timeseries.TimeSeriesCsv;
import dev.ballast.engine.InputException;
import dev.ballast.engine.io.Json;
import dev.ballast.forecast.Backtest;
import dev.ballast.forecast.DefaultSeries;
import dev.ballast.engine.optim.ClipMode;
import dev.ballast.engine.optim.OptimizerKind;
import dev.ballast.forecast.ForecastConfig;
import dev.ballast.forecast.LossKind;
import dev.ballast.forecast.ScaleKind;
import dev.ballast.forecast.Transform;
import dev.ballast.training.Recovery;
import dev.ballast.forecast.ForecastMetrics;
import dev.ballast.forecast.ForecastPipeline;
import dev.ballast.forecast.ForecastReport;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.PredictionIntervals;
import dev.ballast.forecast.Strategy;
import dev.ballast.forecast.SvgPlot;
import dev.ballast.engine.nn.CellType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.checkpoint.RunDirectory;
import dev.ballast.training.checkpoint.RunLink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ballast forecast}: trains a recurrent forecaster on a CSV/TSV series, scores it on the last H
 * points next to the naive, seasonal-naive and drift baselines, saves it, and prints the forecast with its
 * prediction interval. Without {@code --data} it forecasts the embedded synthetic monthly series.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Train a recurrent forecaster and score it against simple baselines.",
                "It holds out the last --horizon points, compares its forecast of them with the",
                "naive, seasonal-naive and drift baselines, saves the model and prints the",
                "forecast with a prediction interval. Without --data it uses an embedded",
                "synthetic monthly series (season 12)."},
        footer = {"",
                "Examples:",
                "  ballast forecast",
                "  ballast forecast --data airline-passengers.csv --column Passengers \\",
                "      --horizon 24 --season 12 --transform log --difference 12 \\",
                "      --plot airline.svg",
                "  ballast forecast --data temps.csv --column Temp --horizon 365 --season 365 \\",
                "      --json"})
final class ForecastCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "CSV or TSV file with a header row (default: the embedded series).")
    Path data;

    @Option(names = "--column", paramLabel = "NAME", description = "Value column, by name or 1-based index (required with --data).")
    String column;

    @Option(names = "--time-column", paramLabel = "NAME", description = "Time column (yyyy, yyyy-MM, yyyy-MM-dd or ISO date-time).")
    String timeColumn;

    @Option(names = "--covariates", paramLabel = "NAME", split = ",", description = "Extra input columns, comma-separated.")
    List<String> covariates = new ArrayList<>();

    @Option(names = "--fill", paramLabel = "POLICY", defaultValue = "none",
            description = "Missing values: none (an error), previous, linear, zero or drop (default: ${DEFAULT-VALUE}).")
    String fill;

    @Option(names = "--horizon", paramLabel = "H", description = "Points held out and forecast (default: 12).")
    Integer horizon;

    @Option(names = "--season", paramLabel = "M", description = "Seasonal period; 1 for none (default: 12 for the embedded series, else 1).")
    Integer season;

    @Option(names = "--future", paramLabel = "H", defaultValue = "0", description = "Also forecast this many points past the end of the data.")
    int future;

    @Option(names = "--lookback", paramLabel = "N", description = "Past points the network sees, at least 1 (default: 3 seasons within [24, 48]).")
    Integer lookback;

    @Option(names = "--cell", paramLabel = "CELL", defaultValue = "lstm", description = "lstm, rnn-tanh or rnn-relu (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "32", description = "Units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "1", description = "Recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0", description = "Dropout on each recurrent layer's outputs in training (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000", description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Windows per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.003", description = "Peak learning rate, cosine-decayed (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "sgd, adam, adamw, rmsprop or adagrad (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr-schedule", paramLabel = "SPEC", description = "constant, cosine[:WARMUP], step:EVERY:GAMMA or plateau[:FACTOR[:PATIENCE]] (default: cosine, warming up over a tenth of the steps, at most 100).")
    String lrSchedule;

    @Option(names = "--clip", paramLabel = "MODE", defaultValue = "global-norm", description = "Gradient clipping: global-norm, layer-norm, tensor-norm, value, auto, agc or none (default: ${DEFAULT-VALUE}).")
    String clip;

    @Option(names = "--clip-norm", paramLabel = "X", defaultValue = "1.0", description = "Norm threshold for norm clipping (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--clip-value", paramLabel = "X", description = "Element bound for value clipping, above 0 (default: the --clip-norm value).")
    Double clipValue;

    @Option(names = "--l2", paramLabel = "X", defaultValue = "0", description = "L2 penalty on weights (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--l1", paramLabel = "X", defaultValue = "0", description = "L1 penalty on weights (default: ${DEFAULT-VALUE}).")
    double l1;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled weight decay, any optimizer (adamw defaults to 0.01).")
    Double weightDecay;

    @Option(names = "--recovery", paramLabel = "on|off", defaultValue = "on", description = "On a NaN or a loss spike, skip the update or roll back and retry with a lower rate, instead of failing (default: ${DEFAULT-VALUE}).")
    String recovery;

    @Option(names = "--diagnose-every", paramLabel = "N", defaultValue = "100", description = "Steps between spectral-norm and gate diagnoses, 0 = off (default: ${DEFAULT-VALUE}).")
    int diagnoseEvery;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue a forecaster run exactly where it stopped (give the same --data and --column; --steps may grow).")
    Path resume;

    @Option(names = "--loss", paramLabel = "LOSS", defaultValue = "mse", description = "mse, mae or huber (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--scale", paramLabel = "KIND", defaultValue = "standard", description = "standard, minmax or mean (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--transform", paramLabel = "T", defaultValue = "none", description = "none or log, before differencing (default: ${DEFAULT-VALUE}).")
    String transform;

    @Option(names = "--difference", paramLabel = "LAG", defaultValue = "0", description = "Model y_t - y_{t-LAG}; 0 for none, 1 for trend, M for seasonal (default: ${DEFAULT-VALUE}).")
    int difference;

    @Option(names = "--no-season-features", description = "Do not feed sin/cos of the seasonal phase as inputs.")
    boolean noSeasonFeatures;

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "recursive", description = "recursive or direct (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--interval", paramLabel = "P", defaultValue = "0.9", description = "Coverage of the prediction interval (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--validation", paramLabel = "N", description = "Points before the hold-out for early stopping and intervals, at least 1 (default: min(H, n/5)).")
    Integer validation;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backtest", paramLabel = "K", defaultValue = "0", description = "Also evaluate K rolling origins, each H earlier, refitting at each.")
    int backtest;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory for the model, its checkpoints and its stability report; one that holds a run is refused without --overwrite (default: a new runs/forecast-DATE-TIME, linked as runs/forecast; with --resume, the resumed run).")
    Path out;

    @Option(names = "--overwrite", description = "Replace the run in --out: its model, checkpoints and report are deleted once the new run has started.")
    boolean overwrite;

    @Option(names = "--plot", paramLabel = "FILE", description = "Write an SVG plot of the history, the hold-out, the forecast with its interval and the baselines.")
    Path plot;

    @Option(names = "--json", description = "Print one JSON object: mase, smape, rmse, mae, mape, baselines, forecast, horizon, season.")
    boolean json;

    @Override
    public Integer call() {
        TimeSeries series = load();
        int m = season != null ? season : data == null ? DefaultSeries.SEASON : 1;
        ForecastConfig config = ForecastConfig.builder()
                .horizon(horizon != null ? horizon : 12).season(m).lookback(lookback).validation(validation)
                .cell(CellType.parse(cell)).hidden(hidden).layers(layers).steps(steps).batch(batch).lr(lr)
                .loss(LossKind.parse(loss)).scale(ScaleKind.parse(scale)).transform(Transform.parse(transform))
                .difference(difference)
                .seasonFeatures(!noSeasonFeatures).strategy(Strategy.parse(strategy)).interval(interval).seed(seed)
                .optimizer(OptimizerKind.parse(optimizer)).clip(ClipMode.parse(clip)).clipNorm(clipNorm).clipValue(clipValue).l2(l2).l1(l1)
                .weightDecay(weightDecay == null ? Double.NaN : weightDecay).lrSchedule(lrSchedule)
                .recovery(Recovery.parse(recovery).on()).diagnoseEvery(diagnoseEvery).dropout(dropout)
                .build();
        PrintWriter err = spec.commandLine().getErr();
        ProgressPrinter progress = new ProgressPrinter(err, System.console() != null);
        Path from = resume != null ? RunLink.follow(resume) : null;
        if (backtest > 0) {
            // Before training: a backtest the series cannot hold fails now, not after the main model trained.
            Backtest.requireFeasible(series.length(), from != null ? savedConfig(from) : config, backtest);
        } else if (backtest < 0) {
            throw new InputException("--backtest must be >= 0, got " + backtest);
        }
        Path runDir;
        RunDirectory.Replaced[] old = {null};
        boolean fresh = false;
        if (from != null) {
            runDir = CheckpointStore.resolveResume(from).toAbsolutePath().getParent().getParent();
        } else if (out != null) {
            runDir = out;
            if (overwrite) {
                old[0] = RunDirectory.setAside(out);
            } else {
                RunDirectory.refuseExisting(out, "forecast", "ballast forecast --resume " + out
                        + " --data ... --column ...");
            }
        } else {
            runDir = RunDirectory.fresh(DefaultRuns.root(), "forecast-");
            fresh = true;
        }
        boolean linkIt = fresh;
        Path dir = runDir;
        CountDownLatch done = new CountDownLatch(1);
        Thread[] hook = new Thread[1];
        ForecastPipeline.Training training = new ForecastPipeline.Training(runDir, from,
                saved -> saved.toBuilder().steps(steps).build(), progress,
                trainer -> {
                    // The new run has started: only now is the old one deleted, and the link moved.
                    if (old[0] != null && old[0].any()) {
                        old[0].delete();
                        err.println("replaced the earlier run in " + dir + " (--overwrite)");
                        old[0] = null;
                    }
                    if (linkIt) {
                        Path link = DefaultRuns.root().resolve(LATEST);
                        Path moved = RunDirectory.link(link, dir);
                        if (moved != null) {
                            err.println("moved the earlier run in " + link + " to " + moved + "; " + link
                                    + " now points to " + dir);
                        }
                    }
                    hook[0] = Interrupts.onShutdown(trainer::requestStop, done);
                });
        ForecastReport r;
        try {
            r = ForecastPipeline.run(series, config, future, training);
        } catch (RuntimeException | Error e) {
            if (old[0] != null) {
                old[0].restore();
            }
            throw e;
        } finally {
            progress.finish();
            done.countDown();
            if (hook[0] != null) {
                Interrupts.remove(hook[0]);
            }
        }
        if (r.training().trained().stopped()) {
            err.println("stopped at step " + r.training().trained().steps() + "; continue with: ballast forecast --resume "
                    + runDir + " (and the same --data and --column)");
            return BallastCommand.EXIT_INTERRUPTED;
        }
        config = r.config();
        Backtest bt = backtest > 0 ? Backtest.run(series, config, backtest, null) : null;
        Map<String, Double> saved = new LinkedHashMap<>();
        saved.put("mase", r.metrics().mase());
        saved.put("smape", r.metrics().smape());
        saved.put("rmse", r.metrics().rmse());
        saved.put("seasonal_naive_mase", r.baselines().get("seasonal-naive").mase());
        ForecasterFiles.save(runDir, r.forecaster(), saved, series.source(),
                PredictionIntervals.fromResiduals(r.training().residuals(), config.interval()));
        if (plot != null) {
            SvgPlot.write(plot, r, series);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(toJson(series, r, bt).toPrettyString());
        } else {
            printText(o, series, r, bt);
        }
        o.flush();
        return 0;
    }

    /** The link naming the newest forecaster run started without --out. */
    static final String LATEST = "forecast";

    /** The configuration a resumed run keeps (its checkpoint's). */
    private static ForecastConfig savedConfig(Path run) {
        return ForecasterFiles.load(CheckpointStore.resolveResume(run)).config();
    }

    private TimeSeries load() {
        FillPolicy policy = FillPolicy.parse(fill);
        if (data == null) {
            if (column != null || timeColumn != null || !covariates.isEmpty()) {
                throw new InputException("--column, --time-column and --covariates need --data");
            }
            return DefaultSeries.load();
        }
        if (column == null) {
            throw new InputException("--data needs --column to name the value column");
        }
        TimeSeriesCsv.Options options = TimeSeriesCsv.Options.of(column).withTimeColumn(timeColumn)
                .withCovariates(covariates).withFill(policy);
        return TimeSeriesCsv.read(data, options);
    }

    private static String label(TimeSeries s, int t) {
        LocalDateTime[] times = s.times();
        if (times != null && t < times.length) {
            LocalDateTime d = times[t];
            return d.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? d.toLocalDate().toString() : d.toString();
        }
        return t < s.length() ? "#" + (t + 1) : "+" + (t - s.length() + 1);
    }

    private void printText(PrintWriter o, TimeSeries s, ForecastReport r, Backtest bt) {
        ForecastConfig c = r.config();
        o.printf(Locale.ROOT, "%s: %d points, hold-out %d, season %d, validation %d, trained %d steps "
                        + "(best at %d) in %.1f s%n", s.source(), s.length(), c.horizon(), c.season(),
                r.split().validation(), c.steps(), r.training().bestStep(), r.seconds());
        o.printf(Locale.ROOT, "%-16s %10s %10s %10s %10s %10s%n", "", "MASE", "sMAPE", "RMSE", "MAE", "MAPE");
        row(o, "ballast", r.metrics());
        r.baselines().forEach((name, m) -> row(o, name, m));
        o.printf(Locale.ROOT, "MASE ratio to seasonal naive: %.3f (%s)%n", r.maseRatio(),
                r.maseRatio() < 1 ? "beats it" : "does not beat it");
        if (bt != null) {
            o.printf(Locale.ROOT, "backtest over %d origins (means):%n", bt.cuts().size());
            row(o, "ballast", bt.mean());
            bt.baselines().forEach((name, m) -> row(o, name, m));
        }
        int pct = (int) Math.round(100 * c.interval());
        o.printf(Locale.ROOT, "%-12s %12s %12s %12s %12s%n", "time", "actual", "forecast", "lower " + pct + "%", "upper " + pct + "%");
        int start = r.split().validEnd();
        for (int i = 0; i < r.forecast().length; i++) {
            o.printf(Locale.ROOT, "%-12s %12.4f %12.4f %12.4f %12.4f%n", label(s, start + i), r.actual()[i],
                    r.forecast()[i], r.lower()[i], r.upper()[i]);
        }
        for (int i = 0; i < r.future().length; i++) {
            o.printf(Locale.ROOT, "%-12s %12s %12.4f %12.4f %12.4f%n", label(s, s.length() + i), "",
                    r.future()[i], r.futureLower()[i], r.futureUpper()[i]);
        }
        o.printf("model saved to %s%s%n", r.training().trained().runDir(), plot != null ? ", plot to " + plot : "");
        JsonNode st = r.training().stability();
        o.printf(Locale.ROOT, "stability: %.1f%% of steps clipped, %d non-finite, %d rollbacks, max gradient norm %.3g,"
                        + " %d incidents; report in %s%n", 100 * st.path("clipped_fraction").asDouble(),
                st.path("nonfinite_steps").asInt(), st.path("rollbacks").asInt(), st.path("max_grad_norm").asDouble(),
                st.path("incidents").asInt(), r.training().trained().runDir().resolve("report.html"));
    }

    private static void row(PrintWriter o, String name, ForecastMetrics m) {
        o.printf(Locale.ROOT, "%-16s %10.4f %10.4f %10.4f %10.4f %10.4f%n", name, m.mase(), m.smape(), m.rmse(), m.mae(), m.mape());
    }

    private ObjectNode toJson(TimeSeries s, ForecastReport r, Backtest bt) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("source", s.source());
        root.put("horizon", r.config().horizon());
        root.put("season", r.config().season());
        metrics(root, r.metrics());
        root.put("mase_ratio", r.maseRatio());
        ObjectNode baselines = root.putObject("baselines");
        r.baselines().forEach((name, m) -> metrics(baselines.putObject(name), m));
        root.put("interval", r.config().interval());
        ArrayNode fc = root.putArray("forecast");
        int start = r.split().validEnd();
        for (int i = 0; i < r.forecast().length; i++) {
            ObjectNode p = fc.addObject();
            p.put("time", label(s, start + i));
            p.put("actual", r.actual()[i]);
            p.put("value", r.forecast()[i]);
            p.put("lower", r.lower()[i]);
            p.put("upper", r.upper()[i]);
        }
        ArrayNode fut = root.putArray("future");
        for (int i = 0; i < r.future().length; i++) {
            ObjectNode p = fut.addObject();
            p.put("time", label(s, s.length() + i));
            p.put("value", r.future()[i]);
            p.put("lower", r.futureLower()[i]);
            p.put("upper", r.futureUpper()[i]);
        }
        if (bt != null) {
            ObjectNode b = root.putObject("backtest");
            b.put("origins", bt.cuts().size());
            metrics(b, bt.mean());
            ObjectNode bb = b.putObject("baselines");
            bt.baselines().forEach((name, m) -> metrics(bb.putObject(name), m));
        }
        root.put("best_step", r.training().bestStep());
        root.put("steps", r.training().trained().steps());
        root.put("seconds", r.seconds());
        root.put("model", r.training().trained().runDir().toString());
        root.set("stability", r.training().stability());
        return root;
    }

    private static void metrics(ObjectNode n, ForecastMetrics m) {
        n.put("mase", m.mase());
        n.put("smape", m.smape());
        n.put("rmse", m.rmse());
        n.put("mae", m.mae());
        n.put("mape", m.mape());
    }
}
