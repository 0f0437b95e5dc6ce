package dev.ballast.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TokenizerCodec;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.ModelConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code metadata_props} of an exported language model: everything needed to use the file without the
 * model directory it came from. Every value is a string; the structured ones are JSON. Forecasters share
 * the format, version, model, metrics, provenance and signature keys (see {@link ForecastOnnxExporter}).
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><td>{@value #FORMAT}</td><td>{@code ballast-onnx}</td></tr>
 * <tr><td>{@value #FORMAT_VERSION}</td><td>{@code 1}</td></tr>
 * <tr><td>{@value #MODEL}</td><td>JSON: cell, vocab_size, embed, hidden, layers, dropout, parameters</td></tr>
 * <tr><td>{@value #VOCABULARY}</td><td>JSON array of the symbols, index = token id</td></tr>
 * <tr><td>{@value #TOKENIZER}</td><td>JSON: model.json's tokenizer block, copied whole (type, unknown_policy,
 *     analyzer, rules, line_end_token, start, unknown_id, special_tokens, symbols; see {@link TokenizerCodec})</td></tr>
 * <tr><td>{@value #TRAINING}</td><td>JSON training configuration (absent for an untrained model)</td></tr>
 * <tr><td>{@value #PROVENANCE}</td><td>JSON: the model's provenance, the corpus named by file name, plus an
 *     {@code export} block (Ballast version, JDK, OS, opset, IR version; no time, see {@link ExportProvenance})</td></tr>
 * <tr><td>{@value #METRICS}</td><td>JSON metrics of the checkpoint (step, val_loss, ...)</td></tr>
 * <tr><td>{@value #STABILITY}</td><td>JSON stability summary (model.json's metrics.stability), when the model has one</td></tr>
 * <tr><td>{@value #SIGNATURE}</td><td>JSON: the names, types and shapes of the graph inputs and outputs</td></tr>
 * </table>
 */
public final class OnnxMetadata {

    public static final String FORMAT = "ballast.format";
    public static final String FORMAT_VERSION = "ballast.format_version";
    public static final String MODEL = "ballast.model";
    public static final String VOCABULARY = "ballast.vocabulary";
    public static final String TOKENIZER = "ballast.tokenizer";
    public static final String TRAINING = "ballast.training";
    public static final String PROVENANCE = "ballast.provenance";
    public static final String METRICS = "ballast.metrics";
    public static final String STABILITY = "ballast.stability";
    public static final String SIGNATURE = "ballast.signature";

    public static final String FORMAT_NAME = "ballast-onnx";
    public static final int VERSION = 1;

    /** What an exported file's metadata says about the model inside. */
    public record Contents(ModelConfig config, Tokenizer tokenizer, Map<String, String> raw) {
    }

    private OnnxMetadata() {
    }

    /**
     * A language model's own entries, from its model.json document (see {@link ModelFiles#describe}):
     * model, vocabulary, tokenizer, training, metrics and stability. {@link RecurrentGraph} adds format,
     * version, provenance and signature.
     */
    static Map<String, String> describe(ObjectNode modelJson) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MODEL, compact(modelJson.get("model")));
        JsonNode tokenizer = modelJson.get("tokenizer");
        m.put(VOCABULARY, compact(tokenizer.get("symbols")));
        m.put(TOKENIZER, compact(tokenizer));
        if (modelJson.has("training")) {
            m.put(TRAINING, compact(modelJson.get("training")));
        }
        m.put(METRICS, compact(modelJson.path("metrics")));
        // The trainer keeps the stability summary with the checkpoint's metrics.
        JsonNode stability = modelJson.path("metrics").path("stability");
        if (stability.isObject()) {
            m.put(STABILITY, compact(stability));
        }
        return m;
    }

    /**
     * Rebuilds the model configuration and the tokenizer from an exported file's metadata.
     *
     * @param source names the file in error messages
     * @throws CheckpointException (one line) when a key is missing or malformed
     */
    public static Contents read(Map<String, String> metadata, String source) {
        requireFormat(metadata, source, FORMAT_NAME, VERSION, "is an ONNX model but not one exported by Ballast");
        JsonNode arch = parse(metadata, MODEL, source);
        ModelConfig config;
        try {
            config = new ModelConfig(CellType.parse(arch.path("cell").asText("")), arch.path("vocab_size").asInt(0),
                    arch.path("embed").asInt(0), arch.path("hidden").asInt(0), arch.path("layers").asInt(0),
                    (float) arch.path("dropout").asDouble(0), arch.path("tie_weights").asBoolean(false),
                    arch.path("residual").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": metadata " + MODEL + ": " + e.getMessage());
        }
        Tokenizer tokenizer = TokenizerCodec.fromJson(parse(metadata, TOKENIZER, source), source + " metadata " + TOKENIZER);
        if (tokenizer.vocabulary().size() != config.vocabSize()) {
            throw new CheckpointException(source + ": tokenizer has " + tokenizer.vocabulary().size()
                    + " symbols but the model's vocab_size is " + config.vocabSize());
        }
        return new Contents(config, tokenizer, Map.copyOf(metadata));
    }

    /**
     * Checks that a file's metadata says {@code format}, version {@code version}.
     *
     * @param otherFormat what the error says of a file in another format, after its name: "is not a forecaster
     *                    exported by Ballast"
     * @throws CheckpointException (one line naming {@code source}) otherwise
     */
    static void requireFormat(Map<String, String> metadata, String source, String format, int version, String otherFormat) {
        String found = metadata.get(FORMAT);
        if (!format.equals(found)) {
            throw new CheckpointException(source + " " + otherFormat + " (metadata " + FORMAT + " is "
                    + (found == null ? "missing" : "'" + found + "'") + ")");
        }
        String foundVersion = metadata.get(FORMAT_VERSION);
        if (!Integer.toString(version).equals(foundVersion)) {
            throw new CheckpointException(source + " has " + FORMAT_VERSION + " " + foundVersion
                    + "; this Ballast reads version " + version);
        }
    }

    private static JsonNode parse(Map<String, String> metadata, String key, String source) {
        String text = metadata.get(key);
        if (text == null) {
            throw new CheckpointException(source + " has no metadata " + key);
        }
        try {
            JsonNode n = ModelFiles.JSON.readTree(text);
            if (n == null || !(n.isObject() || n.isArray())) {
                throw new CheckpointException(source + ": metadata " + key + " is not a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException(source + ": metadata " + key + " is not valid JSON");
        }
    }

    static String compact(JsonNode n) {
        return n == null ? "null" : n.toString();
    }
}
