package dev.ballast.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.List;
import java.util.Map;

/**
 * A trained language model as {@link RecurrentGraph} exports it: token ids in, looked up in the embedding
 * ({@code Gather}); log-probabilities out ({@code LogSoftmax} over the head's logits); the vocabulary,
 * tokenizer and configuration in the metadata (see {@link OnnxMetadata}).
 * <pre>
 *   tokens    int64 (S, B)  ->  Gather(embedding (V, E), tokens)                 (S, B, E)
 *   log_probs = LogSoftmax(MatMul(top, W_out (H, V)) + b_out, axis 2)           (S, B, V)
 *   W_out     = its own initializer, or Transpose(embedding) with tied weights (one copy in the file)
 * </pre>
 */
final class ExportedLanguageModel implements ExportedModel {

    private final LanguageModel net;
    private final ModelConfig cfg;
    private final ObjectNode modelJson;
    /** The embedding table, set by the input part; a tied head reads it again. */
    private ONNXInitializer embedding;

    ExportedLanguageModel(TrainedModel model) {
        this.net = model.network();
        this.cfg = net.config();
        this.modelJson = ModelFiles.describe(model);
    }

    @Override
    public Description description() {
        String cell = cfg.cell().id();
        return new Description("ballast_" + cell.replace('-', '_') + "_lm",
                "Ballast " + cell + " language model: token ids (sequence, batch) and initial states (layers, batch, "
                        + "hidden) in; log-probabilities (sequence, batch, vocabulary) and final states out.",
                "Recurrent language model exported by Ballast; see the ballast.* metadata.",
                OnnxMetadata.FORMAT_NAME, OnnxMetadata.VERSION);
    }

    @Override
    public RecurrentStack.Spec stack() {
        List<RecurrentStack.Layer> layers = net.layers().stream().map(ExportedLanguageModel::layer).toList();
        return new RecurrentStack.Spec(cfg.cell(), cfg.hidden(), layers, cfg.residual());
    }

    private static RecurrentStack.Layer layer(RecurrentLayer layer) {
        return new RecurrentStack.Layer(layer.inputSize(), layer.wInput().value(), layer.wRecurrent().value(),
                layer.bias().value());
    }

    @Override
    public GraphTensor firstInput() {
        return GraphTensor.int64(OnnxExporter.TOKENS, null, GraphTensor.Dim.SEQUENCE, GraphTensor.Dim.BATCH);
    }

    @Override
    public GraphTensor firstOutput() {
        return GraphTensor.float32(OnnxExporter.LOG_PROBS, null, GraphTensor.Dim.SEQUENCE, GraphTensor.Dim.BATCH,
                GraphTensor.Dim.fixed("vocabulary", cfg.vocabSize()));
    }

    @Override
    public String initialStateNote() {
        return null;
    }

    @Override
    public String layout() {
        String states = cfg.cell() == CellType.LSTM ? "hn/cn back as h0/c0" : "hn back as h0"; // an RNN has no cell state
        return "time-major; state rows are streams; pass " + states + " to continue";
    }

    @Override
    public ONNXRef<?> inputPart(ONNXContext ctx, ONNXPlaceholder tokens) {
        float[] emb = parameter("embedding.weight").value();
        embedding = ctx.floatTensor("embedding_weight", List.of(cfg.vocabSize(), cfg.embed()), b -> b.put(emb));
        return ctx.operation(ONNXOperators.GATHER, List.of(embedding, tokens), "embedded", Map.of("axis", 0));
    }

    /** The output projection (H, V) is its own weight, or the embedding (V, E = H) transposed when they are tied. */
    @Override
    public Head head(ONNXContext ctx) {
        int h = cfg.hidden();
        int v = cfg.vocabSize();
        float[] b = parameter("output.bias").value();
        ONNXRef<?> weight;
        if (cfg.tieWeights()) {
            weight = ctx.operation(OnnxOps.TRANSPOSE, List.of(embedding), "output_weight", Map.of("perm", new int[] {1, 0}));
        } else {
            float[] w = parameter("output.weight").value();
            weight = ctx.floatTensor("output_weight", List.of(h, v), buf -> buf.put(w));
        }
        return new Head(weight, ctx.floatTensor("output_bias", List.of(v), buf -> buf.put(b)), "logits");
    }

    @Override
    public ONNXRef<?> outputPart(ONNXContext ctx, ONNXNode logits) {
        return ctx.operation(OnnxOps.LOG_SOFTMAX, List.of(logits), "log_probs_raw", Map.of("axis", 2));
    }

    @Override
    public Map<String, String> metadata() {
        return OnnxMetadata.describe(modelJson);
    }

    @Override
    public ObjectNode provenance() {
        return modelJson.path("provenance") instanceof ObjectNode p ? p : JsonNodeFactory.instance.objectNode();
    }

    private Parameter parameter(String name) {
        return net.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the model has no parameter " + name));
    }
}
