package dev.ballast.inference;

import dev.ballast.forecast.Transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.export.ForecastOnnxRunner;
import dev.ballast.export.OnnxMetadata;
import dev.ballast.forecast.ForecastConfig;
import dev.ballast.engine.InputException;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.PredictionIntervals;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.lm.ModelFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained forecaster ready to predict, whichever back-end runs its network: Ballast's engine on a
 * forecaster directory ({@code forecaster.json} + {@code forecaster.safetensors}) or ONNX Runtime on an
 * exported {@code .onnx} file. The encoding, the recursive or direct roll-out and the decoding are
 * {@link Forecaster}'s own on both, so the two give the same forecast for the same history. Safe to share
 * between threads; close it (the ONNX back-end holds native memory).
 *
 * <pre>{@code
 * try (ForecastModel m = ForecastModel.open(Path.of("forecaster.onnx"), 0)) {
 *     Forecast f = m.forecast(history, null, 12);   // f.forecast(), f.lower(), f.upper()
 * }
 * }</pre>
 */
public final class ForecastModel implements AutoCloseable {

    private final Forecaster forecaster;       // config, encoding, covariates (and the engine's network)
    private final Forecaster.Network network;  // what runs the windows
    private final ForecastOnnxRunner runner;   // null for the engine
    private final PredictionIntervals intervals;
    private final String backend;
    private final String source;
    private final JsonNode provenance;

    private ForecastModel(Forecaster forecaster, Forecaster.Network network, ForecastOnnxRunner runner,
                          PredictionIntervals intervals, String backend, String source, JsonNode provenance) {
        this.forecaster = forecaster;
        this.network = network;
        this.runner = runner;
        this.intervals = intervals;
        this.backend = backend;
        this.source = source;
        this.provenance = provenance == null ? JsonNodeFactory.instance.objectNode() : provenance;
    }

    /** Whether {@code path} is a forecaster directory or an exported forecaster file. */
    public static boolean isForecaster(Path given) {
        Path path = dev.ballast.training.checkpoint.RunLink.follow(given);
        if (Files.isDirectory(path)) {
            return Files.isRegularFile(path.resolve(ForecasterFiles.METADATA));
        }
        return Files.isRegularFile(path) && ForecastOnnxRunner.isForecaster(path);
    }

    /**
     * Opens a forecaster directory with Ballast's engine or an exported {@code .onnx} file with ONNX Runtime.
     *
     * @param threads ONNX Runtime intra-op threads, 0 = its default (the engine forecasts on one thread)
     * @throws CheckpointException one line naming the path when it cannot be used
     */
    public static ForecastModel open(Path given, int threads) {
        Path path = dev.ballast.training.checkpoint.RunLink.follow(given);
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve(ForecasterFiles.METADATA))) {
                throw new CheckpointException(path + " is not a forecaster directory (no " + ForecasterFiles.METADATA + ")");
            }
            try {
                JsonNode document = ForecasterFiles.readJson(path);
                Forecaster f = ForecasterFiles.load(path);
                String where = path.resolve(ForecasterFiles.METADATA).toString();
                return new ForecastModel(f, f.network()::forward, null, ForecasterFiles.intervals(document, where),
                        "ballast", path.toString(), document.get("provenance"));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(e.getMessage());
            }
        }
        if (!Files.exists(path)) {
            throw new CheckpointException("no forecaster at " + path + " (expected a forecaster directory or an .onnx file)");
        }
        ForecastOnnxRunner r = ForecastOnnxRunner.open(path, threads);
        JsonNode provenance;
        try {
            provenance = ModelFiles.JSON.readTree(r.metadata().getOrDefault(OnnxMetadata.PROVENANCE, "{}"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            provenance = null;
        }
        return new ForecastModel(r.forecaster(), r, r, r.intervals(), "onnxruntime", path.toString(), provenance);
    }

    public ForecastConfig config() {
        return forecaster.config();
    }

    /** The covariate columns the model reads, in order; a forecast needs their values. */
    public List<String> covariates() {
        return forecaster.covariateNames();
    }

    /** The fewest history values a forecast needs: the lookback plus the difference lag. */
    public int minHistory() {
        return forecaster.earliestOrigin();
    }

    public boolean hasIntervals() {
        return intervals != null;
    }

    public String backend() {
        return backend;
    }

    public String source() {
        return source;
    }

    /**
     * Forecasts {@code horizon} values after {@code history}.
     *
     * @param covariates one array per {@link #covariates()} name, each covering the history and the
     *                   horizon ({@code history.length + horizon} values); null or empty when the model has none
     * @throws InputException (one line) for a history that is too short, non-finite values, a log
     *                           transform with non-positive values, or covariates that do not fit
     */
    public Forecast forecast(double[] history, double[][] covariates, int horizon) {
        if (horizon < 1) {
            throw InputException.field("horizon", "must be >= 1, got " + horizon);
        }
        if (history.length < minHistory()) {
            throw InputException.field("history", "has " + history.length + " values; this model needs at least "
                    + minHistory() + " (lookback " + config().lookback() + " plus difference lag " + config().difference() + ")");
        }
        for (int t = 0; t < history.length; t++) {
            if (!Double.isFinite(history[t])) {
                throw InputException.field("history", "must hold finite numbers; item " + t + " is not one");
            }
            if (config().transform() == Transform.LOG && !(history[t] > 0)) {
                throw InputException.field("history", "must hold values > 0 (this model log-transforms the series); item "
                        + t + " is " + history[t]);
            }
        }
        double[][] cov = covariates == null ? new double[0][] : covariates;
        List<String> names = covariates();
        if (cov.length != names.size()) {
            throw new InputException(names.isEmpty() ? "this model reads no covariates"
                    : "this model needs covariates " + String.join(", ", names) + " (" + names.size() + "), got " + cov.length);
        }
        for (int k = 0; k < cov.length; k++) {
            if (cov[k].length != history.length + horizon) {
                throw new InputException("covariate '" + names.get(k) + "' needs " + (history.length + horizon)
                        + " values (history plus horizon), got " + cov[k].length);
            }
            for (double v : cov[k]) {
                if (!Double.isFinite(v)) {
                    throw new InputException("covariate '" + names.get(k) + "' holds a value that is not a finite number");
                }
            }
        }
        int[] origin = {history.length};
        double[] values;
        if (runner == null) {
            synchronized (forecaster) { // the engine's network reuses its buffers
                values = forecaster.forecast(history, cov, origin, horizon, network)[0];
            }
        } else {
            values = forecaster.forecast(history, cov, origin, horizon, network)[0];
        }
        if (intervals == null) {
            return new Forecast(values, null, null, Double.NaN);
        }
        double[] lo = new double[horizon];
        double[] hi = new double[horizon];
        for (int i = 0; i < horizon; i++) {
            double w = intervals.halfWidth(i + 1);
            lo[i] = values[i] - w;
            hi[i] = values[i] + w;
        }
        return new Forecast(values, lo, hi, config().interval());
    }

    /** What {@code GET /v1/model} answers for a forecaster. */
    public ObjectNode info() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", "forecaster");
        n.put("backend", backend);
        n.put("source", source);
        ForecastConfig c = config();
        n.put("cell", c.cell().id());
        n.put("hidden", c.hidden());
        n.put("layers", c.layers());
        n.put("strategy", c.strategy().id());
        n.put("lookback", c.lookback());
        n.put("horizon", c.horizon());
        n.put("season", c.season());
        n.put("min_history", minHistory());
        ArrayNode cov = n.putArray("covariates");
        covariates().forEach(cov::add);
        n.put("intervals", hasIntervals());
        if (hasIntervals()) {
            n.put("interval_level", c.interval());
        }
        n.set("provenance", provenance);
        return n;
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
    }
}
