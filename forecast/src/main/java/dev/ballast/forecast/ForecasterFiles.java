package dev.ballast.forecast;


import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.InputException;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;
import dev.ballast.training.model.ModelDocument;
import dev.ballast.training.model.ModelHeader;
import dev.ballast.training.model.Provenance;
import dev.ballast.training.model.WeightsFile;
import dev.ballast.training.model.WeightsRef;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a {@link Forecaster} as two files in a directory, through the shared model-file
 * convention ({@link ModelHeader}, {@link WeightsFile}): {@code forecaster.safetensors} (the weights, by
 * parameter name) and {@code forecaster.json}, format {@code ballast-forecaster} version 2, kind
 * {@code forecaster}: the header's format, version and kind, then {@code config}, {@code encoding} (with its
 * fitted scaler parameters), {@code covariates} (names) and {@code intervals}, then the header's
 * {@code weights} (file and SHA-256, checked on load), {@code provenance} (the platform, the data's name)
 * and {@code metrics}.
 *
 * <p>Version 1 files ({@code format_version}, no weights block, {@code provenance.source}) load as before,
 * their weights unchecked. A document that is not a forecaster, or a weights file that is damaged or does
 * not fit, is a {@link CheckpointException}, one line naming the file.
 *
 * <pre>{@code
 * ForecasterFiles.save(dir, report.forecaster(), Map.of("mase", report.metrics().mase()), "airline.csv");
 * Forecaster f = ForecasterFiles.load(dir);
 * }</pre>
 */
public final class ForecasterFiles {

    public static final String FORMAT = "ballast-forecaster";
    /** 2: {@code version}, {@code kind} and the weights block; 1 spelled it {@code format_version}. */
    public static final int VERSION = 2;
    public static final String KIND = "forecaster";
    public static final String WEIGHTS = "forecaster.safetensors";
    public static final String METADATA = "forecaster.json";

    /** The {@code intervals} block: the coverage and the half-widths for h = 1..K. */
    record Intervals(double level, @JsonProperty("half_widths") double[] halfWidths) {
    }

    /** What only a forecaster's file has, between the header's fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Body(@JsonProperty(required = true) ForecastConfig config,
                @JsonProperty(required = true) SeriesEncoding encoding, List<String> covariates,
                Intervals intervals) {
    }

    private ForecasterFiles() {
    }

    public static void save(Path dir, Forecaster f, Map<String, Double> metrics, String source) {
        save(dir, f, metrics, source, null);
    }

    /**
     * As {@link #save(Path, Forecaster, Map, String)}, also recording the calibrated prediction intervals
     * (key {@code intervals}: {@code level} and {@code half_widths} for h = 1..K) so that a loaded model
     * can give intervals with its forecasts; {@code intervals} may be null.
     *
     * @param source the data's name or path (only its name is kept, see {@link Provenance})
     */
    public static void save(Path dir, Forecaster f, Map<String, Double> metrics, String source,
                            PredictionIntervals intervals) {
        save(dir, f, metrics, provenance(source), intervals);
    }

    /** As {@link #save(Path, Forecaster, Map, String, PredictionIntervals)}, with the whole provenance. */
    public static void save(Path dir, Forecaster f, Map<String, Double> metrics, Provenance provenance,
                            PredictionIntervals intervals) {
        WeightsRef weights = WeightsFile.save(dir, WEIGHTS, f.network().parameters());
        ModelDocument.write(dir.resolve(METADATA), document(f, metrics, provenance, intervals, weights));
    }

    /** The {@code forecaster.json} document {@link #save} writes for {@code f}, without the weights block. */
    public static ObjectNode describe(Forecaster f, Map<String, Double> metrics, String source,
                                      PredictionIntervals intervals) {
        return document(f, metrics, provenance(source), intervals, null);
    }

    private static Provenance provenance(String source) {
        return Provenance.here(null, source, null, 0, 0);
    }

    private static ObjectNode document(Forecaster f, Map<String, Double> metrics, Provenance provenance,
                                       PredictionIntervals intervals, WeightsRef weights) {
        ModelHeader header = new ModelHeader(FORMAT, VERSION, KIND, weights, provenance,
                Json.MAPPER.valueToTree(metrics));
        Intervals iv = intervals == null ? null : new Intervals(f.config().interval(), intervals.halfWidths());
        return ModelDocument.compose(header, new Body(f.config(), f.encoding(), f.covariateNames(), iv));
    }

    /** Loads a forecaster directory, checking the weights' hash when recorded. */
    public static Forecaster load(Path dir) {
        String source = dir.resolve(METADATA).toString();
        JsonNode root = readJson(dir);
        ModelHeader header = header(root, source);
        Forecaster f = fromJson(root, source);
        WeightsFile.load(dir, header.weightsOr(WEIGHTS), f.network().parameters());
        return f;
    }

    /** The {@code forecaster.json} document of a saved forecaster, as written. */
    public static JsonNode readJson(Path dir) {
        return ModelDocument.read(dir.resolve(METADATA));
    }

    /**
     * The forecaster a {@code forecaster.json} document (version 1 or 2) describes (config, encoding,
     * covariates), with uninitialized weights: {@link #load} fills them from the safetensors file, an ONNX
     * back-end brings its own.
     *
     * @param source names the document in error messages
     */
    public static Forecaster fromJson(JsonNode root, String source) {
        header(root, source);
        Body body = bind(root, Body.class, source);
        try {
            return Forecaster.create(body.config(), body.encoding(), body.covariates() == null ? List.of() : body.covariates());
        } catch (InputException e) {
            throw new InputException(source + ": config (hidden " + body.config().hidden() + ", layers "
                    + body.config().layers() + "): " + e.getMessage().replace("--hidden ", "hidden ").replaceAll(": lower [^;]*$", ""));
        }
    }

    /** The prediction intervals a {@code forecaster.json} document records, or null when it has none. */
    public static PredictionIntervals intervals(JsonNode root, String source) {
        JsonNode node = root.path("intervals");
        if (!node.path("half_widths").isArray() || node.path("half_widths").isEmpty()) {
            return null;
        }
        double[] halfWidths = bind(node, Intervals.class, source + ": intervals").halfWidths(); // names the source
        try {
            return PredictionIntervals.of(halfWidths);
        } catch (IllegalArgumentException ex) {
            throw new CheckpointException(source + ": " + ex.getMessage());
        }
    }

    private static ModelHeader header(JsonNode root, String source) {
        return ModelHeader.read(root, FORMAT, VERSION, KIND, source);
    }

    private static <T> T bind(JsonNode node, Class<T> type, String source) {
        return ModelDocument.bind(node, type, source);
    }
}
