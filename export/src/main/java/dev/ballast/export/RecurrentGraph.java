package dev.ballast.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.nn.CellType;
import dev.ballast.training.model.Provenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX model of a Ballast recurrent network, whatever its kind (opset {@value OnnxOps#OPSET}, IR
 * version {@value OnnxExporter#IR_VERSION}, built with Tribuo's {@code org.tribuo.util.onnx} builders).
 * For L layers of H units:
 * <pre>
 *   first input, h0 float (L, B, H), c0 float (L, B, H) [LSTM only]
 *   x        = input part(first input)                                    (S, B, I)
 *   layer l  : LSTM / RNN(x, W, R, B, h0[l], c0[l]), Squeeze axis 1       (S, B, H)   see {@link RecurrentStack}
 *   head     = MatMul(x, weight (H, O)) + bias (O)                        (S, B, O)
 *   first output = output part(head)
 *   hn, cn   = Concat over layers of Y_h, Y_c                             (L, B, H)
 * </pre>
 * S and B are dynamic, so one file serves whole windows and step-by-step use with the state passed back
 * in by the caller. The {@link ExportedModel} supplies the two parts, the head's weights and its
 * metadata; this class adds {@code ballast.format}, {@code ballast.format_version},
 * {@code ballast.provenance} (see {@link ExportProvenance}) and {@code ballast.signature}.
 */
final class RecurrentGraph {

    static final String H0 = "h0";
    static final String C0 = "c0";
    static final String HN = "hn";
    static final String CN = "cn";

    private RecurrentGraph() {
    }

    static OnnxMl.ModelProto export(ExportedModel model) {
        RecurrentStack.Spec spec = model.stack();
        boolean lstm = spec.cell() == CellType.LSTM;
        List<GraphTensor> inputs = new ArrayList<>(List.of(model.firstInput(), state(H0, spec, model.initialStateNote())));
        List<GraphTensor> outputs = new ArrayList<>(List.of(model.firstOutput(), state(HN, spec, null)));
        if (lstm) {
            inputs.add(state(C0, spec, model.initialStateNote()));
            outputs.add(state(CN, spec, null));
        }
        OnnxMl.GraphProto.Builder graph = nodes(model, spec, lstm).toBuilder();
        graph.clearInput();
        inputs.forEach(t -> graph.addInput(t.valueInfo()));
        graph.clearOutput();
        outputs.forEach(t -> graph.addOutput(t.valueInfo()));
        graph.setDocString(model.description().graphDoc());

        OnnxMl.ModelProto.Builder proto = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(OnnxExporter.IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOps.OPSET))
                .setProducerName("ballast")
                .setProducerVersion(Provenance.currentVersion())
                .setDomain("dev.ballast")
                .setModelVersion(model.description().formatVersion())
                .setDocString(model.description().modelDoc())
                .setGraph(graph);
        metadata(model, inputs, outputs).forEach((k, v) ->
                proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return proto.build();
    }

    /** The nodes and initializers, from the first input to the outputs. */
    private static OnnxMl.GraphProto nodes(ExportedModel model, RecurrentStack.Spec spec, boolean lstm) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName(model.description().graphName());
        // Tribuo only declares float (batch, n) placeholders; export() declares the real types and shapes.
        ONNXPlaceholder in = ctx.floatInput(model.firstInput().name(), 1);
        ONNXPlaceholder h0 = ctx.floatInput(H0, spec.hidden());
        ONNXPlaceholder c0 = lstm ? ctx.floatInput(C0, spec.hidden()) : null;
        ONNXPlaceholder out = ctx.floatOutput(model.firstOutput().name(), 1);
        ONNXPlaceholder hn = ctx.floatOutput(HN, spec.hidden());
        ONNXPlaceholder cn = lstm ? ctx.floatOutput(CN, spec.hidden()) : null;

        ONNXRef<?> x = model.inputPart(ctx, in);
        RecurrentStack.Output stack = RecurrentStack.build(ctx, x, spec, h0, c0);
        ExportedModel.Head head = model.head(ctx);
        ONNXNode projected = ctx.operation(OnnxOps.MATMUL, List.of(stack.top(), head.weight()), "projected");
        ONNXNode values = ctx.operation(ONNXOperators.ADD, List.of(projected, head.bias()), head.values());
        ctx.assignTo(model.outputPart(ctx, values), out);
        ctx.assignTo(ctx.operation(ONNXOperators.CONCAT, stack.finalH(), "hn_raw", Map.of("axis", 0)), hn);
        if (lstm) {
            ctx.assignTo(ctx.operation(ONNXOperators.CONCAT, stack.finalC(), "cn_raw", Map.of("axis", 0)), cn);
        }
        return ctx.buildGraph();
    }

    /** A state tensor (L, B, H). */
    private static GraphTensor state(String name, RecurrentStack.Spec spec, String note) {
        return GraphTensor.float32(name, note, GraphTensor.Dim.fixed("layers", spec.layers().size()),
                GraphTensor.Dim.BATCH, GraphTensor.Dim.fixed("hidden", spec.hidden()));
    }

    private static Map<String, String> metadata(ExportedModel model, List<GraphTensor> inputs, List<GraphTensor> outputs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(OnnxMetadata.FORMAT, model.description().format());
        m.put(OnnxMetadata.FORMAT_VERSION, Integer.toString(model.description().formatVersion()));
        m.putAll(model.metadata());
        m.put(OnnxMetadata.PROVENANCE, ExportProvenance.of(model.provenance()).toString());
        m.put(OnnxMetadata.SIGNATURE, signature(inputs, outputs, model.layout()).toString());
        return m;
    }

    private static ObjectNode signature(List<GraphTensor> inputs, List<GraphTensor> outputs, String layout) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ArrayNode in = n.putArray("inputs");
        inputs.forEach(t -> in.add(t.signatureLine()));
        ArrayNode out = n.putArray("outputs");
        outputs.forEach(t -> out.add(t.signatureLine()));
        n.put("layout", layout);
        return n;
    }
}
