package dev.ballast.lm;

import dev.ballast.engine.io.Json;

import dev.ballast.training.model.Provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.SafeTensors;
import dev.ballast.engine.io.SafeTensorsFile;
import dev.ballast.engine.io.TensorData;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model directory: {@code model.json} (format {@code ballast-model}, version 1: architecture,
 * tokenizer with its vocabulary, training configuration, provenance, metrics) and
 * {@code weights.safetensors} (every parameter by name, float32).
 */
public final class ModelFiles {

    public static final String MODEL_JSON = "model.json";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String FORMAT = "ballast-model";
    public static final int VERSION = 1;

    /** Shared JSON settings: snake_case field names, unknown fields rejected, pretty output. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFiles() {
    }

    /** Writes {@code model.json} and {@code weights.safetensors} into {@code dir} (created if needed). */
    public static void save(TrainedModel model, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("cannot create model directory " + dir + ": " + e.getMessage());
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Parameter p : model.network().parameters()) {
            tensors.put(p.name(), new TensorData(p.shape(), p.value().clone()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "ballast-weights");
        meta.put("format_version", "1");
        SafeTensors.write(dir.resolve(WEIGHTS), tensors, meta);
        AtomicFiles.writeString(dir.resolve(MODEL_JSON), toJson(describe(model)));
    }

    /** The {@code model.json} document of a model. */
    public static ObjectNode describe(TrainedModel model) {
        ModelConfig c = model.network().config();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ObjectNode arch = root.putObject("model");
        arch.put("cell", c.cell().id());
        arch.put("vocab_size", c.vocabSize());
        arch.put("embed", c.embed());
        arch.put("hidden", c.hidden());
        arch.put("layers", c.layers());
        arch.put("dropout", c.dropout());
        if (c.tieWeights()) {
            arch.put("tie_weights", true);
        }
        if (c.residual()) {
            arch.put("residual", true); // written only when set, so older readers' files stay as they were
        }
        arch.put("parameters", model.network().parameterCount());
        root.set("tokenizer", TokenizerCodec.toJson(model.tokenizer()));
        if (model.training() != null) {
            root.set("training", JSON.valueToTree(model.training()));
        }
        if (model.provenance() != null) {
            root.set("provenance", model.provenance().toJson());
        }
        root.set("metrics", model.metrics());
        return root;
    }

    /** Loads a model directory (one holding {@code model.json}). */
    public static TrainedModel load(Path dir, Kernels kernels) {
        Path jsonFile = dir.resolve(MODEL_JSON);
        JsonNode root = readJson(jsonFile);
        String source = jsonFile.toString();
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new CheckpointException(source + " is not a Ballast model (format is '" + root.path("format").asText() + "', expected '" + FORMAT + "')");
        }
        if (root.path("version").asInt(-1) < 1 || root.path("version").asInt() > VERSION) {
            throw new CheckpointException(source + " has format version " + root.path("version") + "; this Ballast reads version " + VERSION);
        }
        JsonNode arch = root.path("model");
        ModelConfig config;
        try {
            config = new ModelConfig(CellType.parse(arch.path("cell").asText("")),
                    requiredInt(arch, "vocab_size", source), requiredInt(arch, "embed", source),
                    requiredInt(arch, "hidden", source), requiredInt(arch, "layers", source),
                    (float) arch.path("dropout").asDouble(0), arch.path("tie_weights").asBoolean(false),
                    arch.path("residual").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": model: " + e.getMessage());
        }
        Tokenizer tokenizer = TokenizerCodec.fromJson(root.path("tokenizer"), source);
        if (tokenizer.vocabulary().size() != config.vocabSize()) {
            throw new CheckpointException(source + ": tokenizer has " + tokenizer.vocabulary().size()
                    + " symbols but model.vocab_size is " + config.vocabSize());
        }
        TrainingConfig training = null;
        if (root.has("training")) {
            try {
                training = JSON.treeToValue(root.get("training"), TrainingConfig.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new CheckpointException(source + ": training: " + firstLine(e.getMessage()));
            }
        }
        Provenance provenance = root.has("provenance") && root.get("provenance").isObject()
                ? Provenance.fromJson((ObjectNode) root.get("provenance")) : null;
        ObjectNode metrics = root.has("metrics") && root.get("metrics").isObject()
                ? (ObjectNode) root.get("metrics") : JsonNodeFactory.instance.objectNode();

        LanguageModel network = new LanguageModel(config, kernels);
        loadWeights(network, dir.resolve(WEIGHTS));
        return new TrainedModel(network, tokenizer, training, provenance, metrics);
    }

    /** Copies every parameter from a safetensors file, checking names and shapes. */
    public static void loadWeights(LanguageModel network, Path file) {
        SafeTensorsFile weights = SafeTensors.read(file);
        for (Parameter p : network.parameters()) {
            TensorData t = weights.tensors().get(p.name());
            if (t == null) {
                throw new CheckpointException(file + " has no tensor '" + p.name() + "'");
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new CheckpointException(file + ": tensor '" + p.name() + "' has shape " + Arrays.toString(t.shape())
                        + " but the model needs " + Arrays.toString(p.shape()));
            }
            System.arraycopy(t.data(), 0, p.value(), 0, p.size());
        }
    }

    public static JsonNode readJson(Path file) {
        return Json.read(file);
    }

    public static String toJson(JsonNode node) {
        return Json.text(node);
    }

    private static int requiredInt(JsonNode n, String field, String source) {
        if (!n.path(field).canConvertToInt()) {
            throw new CheckpointException(source + ": model." + field + " must be an integer");
        }
        return n.path(field).asInt();
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
