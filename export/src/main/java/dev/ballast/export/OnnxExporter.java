package dev.ballast.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.lm.ModelFiles;
import dev.ballast.training.model.Provenance;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.engine.nn.RecurrentLayer;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a trained {@link LanguageModel} into an ONNX model (opset {@value OnnxOps#OPSET}, IR version
 * {@value #IR_VERSION}) built with Tribuo's {@code org.tribuo.util.onnx} builders.
 *
 * <p>The graph, for L layers of hidden size H over a vocabulary of V symbols:
 * <pre>
 *   tokens  int64 (S, B)       h0 float (L, B, H)      c0 float (L, B, H)   [LSTM only]
 *   x       = Gather(embedding (V, E), tokens)                              (S, B, E)
 *   layer l : LSTM / RNN(x, W (1, G*H, I), R (1, G*H, H), B (1, 2*G*H), h0[l], c0[l])
 *             x = Squeeze(Y, axis 1)                                       (S, B, H)
 *   log_probs = LogSoftmax(MatMul(x, W_out (H, V)) + b_out)                 (S, B, V)
 *   hn, cn  = Concat over layers of Y_h, Y_c                                (L, B, H)
 * </pre>
 * S and B are dynamic, so one file serves whole-sequence scoring and step-by-step generation with the
 * state passed back in by the caller. {@code layout} stays 0 (ONNX Runtime's CPU kernels refuse 1) and
 * {@code sequence_lens} is never used. Ballast stores gate blocks in PyTorch's order i, f, g, o as
 * columns of (I, 4H) matrices; ONNX wants rows of (4H, I) in the order i, o, f, c, so the weights are
 * transposed and reordered here; the single bias goes into Wb and Rb is zero.
 *
 * <pre>{@code
 * TrainedModel m = ModelFiles.load(dir, KernelProvider.scalar());
 * OnnxExporter.write(OnnxExporter.export(m), Path.of("model.onnx"));
 * }</pre>
 */
public final class OnnxExporter {

    /** IR version 8 goes with opset 17. */
    public static final int IR_VERSION = 8;
    public static final String TOKENS = "tokens";
    public static final String H0 = "h0";
    public static final String C0 = "c0";
    public static final String LOG_PROBS = "log_probs";
    public static final String HN = "hn";
    public static final String CN = "cn";

    /** The output projection (H, V): its own weight, or the transposed embedding when they are tied. */
    private static float[] outputWeight(LanguageModel net, int h, int v) {
        if (!net.config().tieWeights()) {
            return parameter(net, "output.weight").value();
        }
        float[] emb = parameter(net, "embedding.weight").value(); // (V, E = H)
        float[] w = new float[h * v];
        for (int t = 0; t < v; t++) {
            for (int j = 0; j < h; j++) {
                w[j * v + t] = emb[t * h + j];
            }
        }
        return w;
    }

    private static dev.ballast.engine.nn.Parameter parameter(LanguageModel net, String name) {
        return net.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the model has no parameter " + name));
    }

    /** For each ONNX LSTM gate block (i, o, f, c), the index of Ballast's block (i, f, g, o). */
    private static final int[] LSTM_GATE_FROM_BALLAST = {0, 3, 1, 2};

    private OnnxExporter() {
    }

    /** The ONNX model of {@code model}, its metadata included (see {@link OnnxMetadata}). */
    public static OnnxMl.ModelProto export(TrainedModel model) {
        LanguageModel net = model.network();
        ModelConfig cfg = net.config();
        boolean lstm = cfg.cell() == CellType.LSTM;
        int h = cfg.hidden();
        int v = cfg.vocabSize();

        ONNXContext ctx = new ONNXContext();
        ctx.setName("ballast_" + cfg.cell().id().replace('-', '_') + "_lm");
        // Tribuo only declares float (batch, n) placeholders; the real types and shapes are set below.
        ONNXPlaceholder tokens = ctx.floatInput(TOKENS, 1);
        ONNXPlaceholder h0 = ctx.floatInput(H0, h);
        ONNXPlaceholder c0 = lstm ? ctx.floatInput(C0, h) : null;
        ONNXPlaceholder logProbsOut = ctx.floatOutput(LOG_PROBS, v);
        ONNXPlaceholder hnOut = ctx.floatOutput(HN, h);
        ONNXPlaceholder cnOut = lstm ? ctx.floatOutput(CN, h) : null;

        float[] emb = net.parameters().get(0).value();
        ONNXInitializer embedding = ctx.floatTensor("embedding_weight", List.of(v, cfg.embed()), b -> b.put(emb));
        ONNXRef<?> x = ctx.operation(ONNXOperators.GATHER, List.of(embedding, tokens), "embedded", Map.of("axis", 0));

        List<RecurrentStack.Layer> layers = new ArrayList<>();
        for (RecurrentLayer layer : net.layers()) {
            layers.add(new RecurrentStack.Layer(layer.inputSize(), layer.wInput().value(), layer.wRecurrent().value(),
                    layer.bias().value()));
        }
        RecurrentStack.Output stack = RecurrentStack.build(ctx, x, cfg.cell(), h, layers, h0, c0, cfg.residual());
        x = stack.top();
        List<ONNXRef<?>> finalH = stack.finalH();
        List<ONNXRef<?>> finalC = stack.finalC();

        float[] wOut = outputWeight(net, h, v); // (H, V)
        float[] bOut = parameter(net, "output.bias").value(); // (V)
        ONNXInitializer outW = ctx.floatTensor("output_weight", List.of(h, v), b -> b.put(wOut));
        ONNXInitializer outB = ctx.floatTensor("output_bias", List.of(v), b -> b.put(bOut));
        ONNXNode projected = ctx.operation(OnnxOps.MATMUL, List.of(x, outW), "projected");
        ONNXNode logits = ctx.operation(ONNXOperators.ADD, List.of(projected, outB), "logits");
        ONNXNode logProbs = ctx.operation(OnnxOps.LOG_SOFTMAX, List.of(logits), "log_probs_raw", Map.of("axis", 2));
        ctx.assignTo(logProbs, logProbsOut);
        ctx.assignTo(ctx.operation(ONNXOperators.CONCAT, finalH, "hn_raw", Map.of("axis", 0)), hnOut);
        if (lstm) {
            ctx.assignTo(ctx.operation(ONNXOperators.CONCAT, finalC, "cn_raw", Map.of("axis", 0)), cnOut);
        }

        OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        graph.clearInput();
        graph.addInput(valueInfo(TOKENS, OnnxMl.TensorProto.DataType.INT64, "sequence", "batch"));
        graph.addInput(valueInfo(H0, OnnxMl.TensorProto.DataType.FLOAT, cfg.layers(), "batch", h));
        if (lstm) {
            graph.addInput(valueInfo(C0, OnnxMl.TensorProto.DataType.FLOAT, cfg.layers(), "batch", h));
        }
        graph.clearOutput();
        graph.addOutput(valueInfo(LOG_PROBS, OnnxMl.TensorProto.DataType.FLOAT, "sequence", "batch", v));
        graph.addOutput(valueInfo(HN, OnnxMl.TensorProto.DataType.FLOAT, cfg.layers(), "batch", h));
        if (lstm) {
            graph.addOutput(valueInfo(CN, OnnxMl.TensorProto.DataType.FLOAT, cfg.layers(), "batch", h));
        }
        graph.setDocString("Ballast " + cfg.cell().id() + " language model: token ids (sequence, batch) and initial "
                + "states (layers, batch, hidden) in; log-probabilities (sequence, batch, vocabulary) and final states out.");

        OnnxMl.ModelProto.Builder proto = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOps.OPSET))
                .setProducerName("ballast")
                .setProducerVersion(Provenance.currentVersion())
                .setDomain("dev.ballast")
                .setModelVersion(OnnxMetadata.VERSION)
                .setDocString("Recurrent language model exported by Ballast; see the ballast.* metadata.")
                .setGraph(graph);
        Map<String, String> metadata = OnnxMetadata.fromModelJson(ModelFiles.describe(model), exportBlock(), signature(lstm));
        metadata.forEach((k, val) -> proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(val)));
        return proto.build();
    }

    /** Writes the model atomically (a failed write leaves any old file untouched). */
    public static void write(OnnxMl.ModelProto model, Path out) {
        AtomicFiles.write(out, model::writeTo);
    }

    // ours: (in, G*H), gate blocks as column blocks -> ONNX: (G*H, in), row blocks in ONNX gate order
    static float[] onnxWeight(float[] w, int in, int h, CellType cell) {
        int gates = cell.gates();
        int gh = gates * h;
        float[] out = new float[gh * in];
        for (int q = 0; q < gates; q++) {
            int g = gates == 4 ? LSTM_GATE_FROM_BALLAST[q] : 0;
            for (int j = 0; j < h; j++) {
                int row = (q * h + j) * in;
                for (int k = 0; k < in; k++) {
                    out[row + k] = w[k * gh + g * h + j];
                }
            }
        }
        return out;
    }

    // ours: (G*H) -> ONNX: (2*G*H) = concat(Wb reordered, Rb = 0)
    static float[] onnxBias(float[] b, int h, CellType cell) {
        int gates = cell.gates();
        float[] out = new float[2 * gates * h];
        for (int q = 0; q < gates; q++) {
            int g = gates == 4 ? LSTM_GATE_FROM_BALLAST[q] : 0;
            System.arraycopy(b, g * h, out, q * h, h);
        }
        return out;
    }

    static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                dim.setDimValue(i);
            } else {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    static ObjectNode exportBlock() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("ballast_version", Provenance.currentVersion());
        n.put("exported", Instant.now().toString());
        n.put("java_version", System.getProperty("java.version"));
        n.put("java_vendor", System.getProperty("java.vendor"));
        n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        n.put("arch", System.getProperty("os.arch"));
        n.put("opset", OnnxOps.OPSET);
        n.put("ir_version", IR_VERSION);
        n.put("exporter", "org.tribuo.util.onnx");
        return n;
    }

    private static ObjectNode signature(boolean lstm) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ArrayNode in = n.putArray("inputs");
        in.add(TOKENS + ": int64 [sequence, batch]");
        in.add(H0 + ": float32 [layers, batch, hidden]");
        if (lstm) {
            in.add(C0 + ": float32 [layers, batch, hidden]");
        }
        ArrayNode out = n.putArray("outputs");
        out.add(LOG_PROBS + ": float32 [sequence, batch, vocabulary]");
        out.add(HN + ": float32 [layers, batch, hidden]");
        if (lstm) {
            out.add(CN + ": float32 [layers, batch, hidden]");
        }
        n.put("layout", "time-major; state rows are streams; pass hn/cn back as h0/c0 to continue");
        return n;
    }
}
