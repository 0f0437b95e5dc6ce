package dev.ballast.lm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.CellType;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.training.model.ModelDocument;
import dev.ballast.training.model.ModelHeader;
import dev.ballast.training.model.WeightsFile;
import dev.ballast.training.model.WeightsRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model directory: {@code model.json} and {@code weights.safetensors} (every parameter by name,
 * float32), written and read through the shared model-file convention ({@link ModelHeader},
 * {@link WeightsFile}). {@code model.json} is format {@code ballast-model}, version 1, kind
 * {@code language-model}: the header's format, version and kind, then {@code model} (architecture),
 * {@code tokenizer} (with its vocabulary) and {@code training} (the training configuration), then the
 * header's {@code weights} (file and SHA-256, checked on load), {@code provenance} and {@code metrics}.
 * Directories written before the weights block existed load as before, unchecked.
 */
public final class ModelFiles {

    public static final String MODEL_JSON = "model.json";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String FORMAT = "ballast-model";
    public static final int VERSION = 1;
    public static final String KIND = "language-model";

    /**
     * {@link Json#MAPPER} under the name callers of this class know: unknown fields, duplicate keys and
     * trailing junk are rejected; the records name their fields in snake_case themselves.
     */
    public static final ObjectMapper JSON = Json.MAPPER;

    /**
     * The {@code model} block: the {@link ModelConfig}, and the parameter count for people reading the
     * file (not read back). {@code tie_weights} and {@code residual} are written only when set, so files
     * of models without them stay as older releases wrote them.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Architecture(@JsonProperty(required = true) CellType cell, @JsonProperty(required = true) int vocabSize,
                        @JsonProperty(required = true) int embed, @JsonProperty(required = true) int hidden,
                        @JsonProperty(required = true) int layers, float dropout,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean tieWeights,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean residual,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long parameters) {

        static Architecture of(LanguageModel network) {
            ModelConfig c = network.config();
            return new Architecture(c.cell(), c.vocabSize(), c.embed(), c.hidden(), c.layers(), c.dropout(),
                    c.tieWeights(), c.residual(), network.parameterCount());
        }

        /** @throws IllegalArgumentException when the sizes do not make a model */
        ModelConfig config() {
            return new ModelConfig(cell, vocabSize, embed, hidden, layers, dropout, tieWeights, residual);
        }
    }

    /** What only a language model's file has, between the header's fields. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Body(Architecture model, JsonNode tokenizer, TrainingConfig training) {
    }

    private ModelFiles() {
    }

    /** Writes {@code weights.safetensors}, then {@code model.json} with its hash, into {@code dir} (created if needed). */
    public static void save(TrainedModel model, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckpointException("cannot create model directory " + dir + ": " + dev.ballast.engine.io.FileErrors.describe(e));
        }
        WeightsRef weights = WeightsFile.save(dir, WEIGHTS, model.network().parameters());
        ModelDocument.write(dir.resolve(MODEL_JSON), document(model, weights));
    }

    /** The {@code model.json} document of a model, without a weights block (no file was written). */
    public static ObjectNode describe(TrainedModel model) {
        return document(model, null);
    }

    private static ObjectNode document(TrainedModel model, WeightsRef weights) {
        ModelHeader header = new ModelHeader(FORMAT, VERSION, KIND, weights, model.provenance(), model.metrics());
        return ModelDocument.compose(header, new Body(Architecture.of(model.network()),
                TokenizerCodec.toJson(model.tokenizer()), model.training()));
    }

    /** Loads a model directory (one holding {@code model.json}), checking the weights' hash when recorded. */
    public static TrainedModel load(Path dir, Kernels kernels) {
        Path jsonFile = dir.resolve(MODEL_JSON);
        if (!Files.exists(jsonFile) && Files.isRegularFile(dir.resolve("forecaster.json"))) {
            throw new CheckpointException(dir + " holds a forecaster (forecaster.json), not a language model; use it with"
                    + " 'ballast export' or 'ballast serve', or continue it with 'ballast forecast --resume'");
        }
        String source = jsonFile.toString();
        JsonNode root = ModelDocument.read(jsonFile);
        ModelHeader header = ModelHeader.read(root, FORMAT, VERSION, KIND, source);
        Body body = ModelDocument.bind(root, Body.class, source);
        if (body.model() == null) {
            throw new CheckpointException(source + " has no model block");
        }
        ModelConfig config;
        try {
            config = body.model().config();
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": model: " + e.getMessage());
        }
        Tokenizer tokenizer = TokenizerCodec.fromJson(body.tokenizer() == null ? MissingNode.getInstance()
                : body.tokenizer(), source);
        if (tokenizer.vocabulary().size() != config.vocabSize()) {
            throw new CheckpointException(source + ": tokenizer has " + tokenizer.vocabulary().size()
                    + " symbols but model.vocab_size is " + config.vocabSize());
        }
        ModelSize.checkLoading(source, config); // sizes and memory before anything is allocated
        LanguageModel network = new LanguageModel(config, kernels);
        WeightsFile.load(dir, header.weightsOr(WEIGHTS), network.parameters());
        return new TrainedModel(network, tokenizer, body.training(), header.provenance(), header.metricsOrEmpty());
    }

    /** Reads a JSON file that must hold one object; one-line {@link CheckpointException} otherwise. */
    public static JsonNode readJson(Path file) {
        return ModelDocument.read(file);
    }

    /** {@code node} pretty-printed, with a final newline. */
    public static String toJson(JsonNode node) {
        return ModelDocument.toJson(node);
    }
}
