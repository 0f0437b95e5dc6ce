package dev.ballast.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.SafeTensors;
import dev.ballast.engine.io.SafeTensorsFile;
import dev.ballast.engine.io.TensorData;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Parameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a {@link Forecaster} as two files in a directory: {@code forecaster.safetensors} (the
 * weights, by parameter name) and {@code forecaster.json} (format {@code ballast-forecaster} version 1:
 * the config, the encoding with its fitted scaler parameters, the covariate names, the metrics it was
 * saved with, and the platform it was trained on, since float results differ across JDKs and CPUs).
 *
 * <pre>{@code
 * ForecasterFiles.save(dir, report.forecaster(), Map.of("mase", report.metrics().mase()), "airline.csv");
 * Forecaster f = ForecasterFiles.load(dir);
 * }</pre>
 */
public final class ForecasterFiles {

    public static final String FORMAT = "ballast-forecaster";
    public static final int VERSION = 1;
    public static final String WEIGHTS = "forecaster.safetensors";
    public static final String METADATA = "forecaster.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ForecasterFiles() {
    }

    public static void save(Path dir, Forecaster f, Map<String, Double> metrics, String source) {
        save(dir, f, metrics, source, null);
    }

    /**
     * As {@link #save(Path, Forecaster, Map, String)}, also recording the calibrated prediction intervals
     * (key {@code intervals}: {@code level} and {@code half_widths} for h = 1..K) so that a loaded model
     * can give intervals with its forecasts; {@code intervals} may be null.
     */
    public static void save(Path dir, Forecaster f, Map<String, Double> metrics, String source,
                            PredictionIntervals intervals) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Parameter p : f.network().parameters()) {
            tensors.put(p.name(), new TensorData(p.shape(), p.value().clone()));
        }
        SafeTensors.write(dir.resolve(WEIGHTS), tensors, Map.of("format", FORMAT, "format_version", "" + VERSION));
        ObjectNode root = describe(f, metrics, source, intervals);
        try {
            AtomicFiles.writeString(dir.resolve(METADATA), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (IOException ex) {
            throw new ForecastException("cannot write " + dir.resolve(METADATA) + ": " + ex.getMessage());
        }
    }

    /** The {@code forecaster.json} document {@link #save} writes for {@code f}. */
    public static ObjectNode describe(Forecaster f, Map<String, Double> metrics, String source,
                                      PredictionIntervals intervals) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", VERSION);
        root.set("config", JSON.valueToTree(configMap(f.config())));
        SeriesEncoding e = f.encoding();
        ObjectNode enc = root.putObject("encoding");
        enc.put("transform", e.transform());
        enc.put("difference", e.lag());
        enc.set("scaler", scaler(e.scaler()));
        ArrayNode covs = enc.putArray("covariate_scalers");
        for (Scaler s : e.covariateScalers()) {
            covs.add(scaler(s));
        }
        enc.put("season", e.season());
        enc.put("phase_features", e.phase());
        ArrayNode names = root.putArray("covariates");
        f.covariateNames().forEach(names::add);
        ObjectNode m = root.putObject("metrics");
        metrics.forEach(m::put);
        if (intervals != null) {
            ObjectNode iv = root.putObject("intervals");
            iv.put("level", f.config().interval());
            ArrayNode widths = iv.putArray("half_widths");
            for (double w : intervals.halfWidths()) {
                widths.add(w);
            }
        }
        ObjectNode prov = root.putObject("provenance");
        prov.put("source", source);
        prov.put("created", Instant.now().toString());
        prov.put("java_version", System.getProperty("java.version"));
        prov.put("java_vendor", System.getProperty("java.vendor"));
        prov.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        prov.put("arch", System.getProperty("os.arch"));
        prov.put("cpus", Runtime.getRuntime().availableProcessors());
        return root;
    }

    public static Forecaster load(Path dir) {
        Path meta = dir.resolve(METADATA);
        Forecaster f = fromJson(readJson(dir), meta.toString());
        SafeTensorsFile weights = SafeTensors.read(dir.resolve(WEIGHTS));
        for (Parameter p : f.network().parameters()) {
            TensorData t = weights.tensors().get(p.name());
            if (t == null || t.size() != p.size()) {
                throw new ForecastException(dir.resolve(WEIGHTS) + ": tensor " + p.name() + " is "
                        + (t == null ? "missing" : "of size " + t.size() + ", expected " + p.size()));
            }
            System.arraycopy(t.data(), 0, p.value(), 0, p.size());
        }
        return f;
    }

    /** The {@code forecaster.json} document of a saved forecaster, as written. */
    public static JsonNode readJson(Path dir) {
        Path meta = dir.resolve(METADATA);
        try {
            return JSON.readTree(Files.readString(meta));
        } catch (IOException ex) {
            throw new ForecastException("cannot read " + meta + ": " + ex.getMessage());
        }
    }

    /**
     * The forecaster a {@code forecaster.json} document describes (config, encoding, covariates), with
     * uninitialized weights: {@link #load} fills them from the safetensors file, an ONNX back-end brings
     * its own.
     *
     * @param source names the document in error messages
     */
    public static Forecaster fromJson(JsonNode root, String source) {
        if (!FORMAT.equals(root.path("format").asText()) || root.path("format_version").asInt() != VERSION) {
            throw new ForecastException(source + " is not a " + FORMAT + " version " + VERSION + " file (format '"
                    + root.path("format").asText() + "', version " + root.path("format_version").asText() + ")");
        }
        JsonNode c = root.path("config");
        ForecastConfig config = ForecastConfig.builder()
                .lookback(c.path("lookback").asInt()).horizon(c.path("horizon").asInt()).season(c.path("season").asInt())
                .validation(c.path("validation").asInt()).cell(CellType.parse(c.path("cell").asText()))
                .hidden(c.path("hidden").asInt()).layers(c.path("layers").asInt()).steps(c.path("steps").asInt())
                .batch(c.path("batch").asInt()).lr(c.path("lr").asDouble()).optimizer(c.path("optimizer").asText())
                .clip(c.path("clip").asText()).clipNorm(c.path("clip_norm").asDouble()).l2(c.path("l2").asDouble())
                .loss(c.path("loss").asText()).scale(c.path("scale").asText()).transform(c.path("transform").asText())
                .difference(c.path("difference").asInt()).seasonFeatures(c.path("season_features").asBoolean())
                .strategy(Strategy.parse(c.path("strategy").asText())).interval(c.path("interval").asDouble())
                .evalEvery(c.path("eval_every").asInt()).seed(c.path("seed").asLong())
                // fields added with the shared trainer; older files hold their defaults
                .clipValue(c.path("clip_value").asDouble(0)).l1(c.path("l1").asDouble(0))
                .weightDecay(c.has("weight_decay") ? c.get("weight_decay").asDouble() : Double.NaN)
                .lrSchedule(c.has("lr_schedule") ? c.get("lr_schedule").asText() : null)
                .recovery(c.path("recovery").asBoolean(true)).diagnoseEvery(c.path("diagnose_every").asInt(100))
                .build();
        JsonNode e = root.path("encoding");
        List<Scaler> covs = new ArrayList<>();
        e.path("covariate_scalers").forEach(n -> covs.add(scaler(n)));
        SeriesEncoding encoding = new SeriesEncoding(e.path("transform").asText(), e.path("difference").asInt(),
                scaler(e.path("scaler")), covs.toArray(new Scaler[0]), e.path("season").asInt(),
                e.path("phase_features").asBoolean());
        List<String> names = new ArrayList<>();
        root.path("covariates").forEach(n -> names.add(n.asText()));
        return Forecaster.create(config, encoding, names);
    }

    /** The prediction intervals a {@code forecaster.json} document records, or null when it has none. */
    public static PredictionIntervals intervals(JsonNode root, String source) {
        JsonNode widths = root.path("intervals").path("half_widths");
        if (!widths.isArray() || widths.isEmpty()) {
            return null;
        }
        double[] w = new double[widths.size()];
        for (int i = 0; i < w.length; i++) {
            if (!widths.get(i).isNumber()) {
                throw new ForecastException(source + ": intervals.half_widths must hold numbers");
            }
            w[i] = widths.get(i).asDouble();
        }
        try {
            return PredictionIntervals.of(w);
        } catch (IllegalArgumentException ex) {
            throw new ForecastException(source + ": " + ex.getMessage());
        }
    }

    static Map<String, Object> configMap(ForecastConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lookback", c.lookback());
        m.put("horizon", c.horizon());
        m.put("season", c.season());
        m.put("validation", c.validation());
        m.put("cell", c.cell().id());
        m.put("hidden", c.hidden());
        m.put("layers", c.layers());
        m.put("steps", c.steps());
        m.put("batch", c.batch());
        m.put("lr", c.lr());
        m.put("optimizer", c.optimizer());
        m.put("clip", c.clip());
        m.put("clip_norm", c.clipNorm());
        m.put("l2", c.l2());
        m.put("loss", c.loss());
        m.put("scale", c.scale());
        m.put("transform", c.transform());
        m.put("difference", c.difference());
        m.put("season_features", c.seasonFeatures());
        m.put("strategy", c.strategy().id());
        m.put("interval", c.interval());
        m.put("eval_every", c.evalEvery());
        m.put("seed", c.seed());
        m.put("clip_value", c.clipValue());
        m.put("l1", c.l1());
        if (!Double.isNaN(c.weightDecay())) {
            m.put("weight_decay", c.weightDecay());
        }
        if (c.lrSchedule() != null) {
            m.put("lr_schedule", c.lrSchedule());
        }
        m.put("recovery", c.recovery());
        m.put("diagnose_every", c.diagnoseEvery());
        return m;
    }

    private static ObjectNode scaler(Scaler s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", s.kind());
        n.put("shift", s.shift());
        n.put("scale", s.scale());
        return n;
    }

    private static Scaler scaler(JsonNode n) {
        return new Scaler(n.path("kind").asText(), n.path("shift").asDouble(), n.path("scale").asDouble());
    }
}
