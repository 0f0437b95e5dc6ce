package dev.ballast.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.forecast.ForecastNetwork;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.NetworkShape;
import dev.ballast.training.model.Provenance;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Parameter;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a saved {@link Forecaster} into an ONNX model (opset {@value OnnxOps#OPSET}, IR version
 * {@value OnnxExporter#IR_VERSION}), with the conventions of {@link OnnxExporter}: standard {@code LSTM} /
 * {@code RNN} nodes, {@code layout} 0, no {@code sequence_lens}, dynamic sequence and batch axes.
 *
 * <p>The graph, for L layers of H units over F input features and O outputs per step:
 * <pre>
 *   x       float (S, B, F)   the ENCODED input rows (see below)    h0, c0 float (L, B, H) [c0: LSTM only]
 *   layer l : LSTM / RNN, then Squeeze axis 1                       (S, B, H)
 *   y       = MatMul(top, head_weight (H, O)) + head_bias          (S, B, O)
 *   hn, cn  = Concat over layers of Y_h, Y_c                        (L, B, H)
 * </pre>
 * The head is applied at every step. For a recursive forecaster (O = 1) y[t] is the scaled value of step
 * t+1; for a direct one (O = H) only the last step's row is the forecast, which is what Ballast's
 * {@link ForecastNetwork} emits. Ballast runs each forecasting window from a zero state, so pass zeros as
 * h0/c0 to reproduce its forecasts.
 *
 * <p>The graph does NOT apply the series encoding: the caller builds each input row
 * {@code [s_t, scaled covariates..., sin(2 pi t/m), cos(2 pi t/m)]} with
 * {@code s_t = scaler((log?) y_t - (log?) y_{t-lag})} and inverts the same steps on y, exactly as
 * {@code SeriesEncoding} does; every parameter needed for that is in the metadata.
 *
 * <table>
 * <caption>metadata_props</caption>
 * <tr><td>{@code ballast.format}</td><td>{@value #FORMAT_NAME}</td></tr>
 * <tr><td>{@code ballast.format_version}</td><td>{@code 1}</td></tr>
 * <tr><td>{@value #FORECASTER}</td><td>JSON: the whole {@code forecaster.json} document the model was saved
 *     with (format ballast-forecaster 1: config, encoding, covariates, intervals, metrics, provenance);
 *     this is what Ballast reads back</td></tr>
 * <tr><td>{@value #CONFIG}</td><td>JSON: the forecaster config (lookback, horizon, season, cell, strategy, ...)</td></tr>
 * <tr><td>{@value #ENCODING}</td><td>JSON: transform, difference lag, target scaler {kind, shift, scale},
 *     covariate scalers, season, phase_features, covariate names, min_history, and the row layout</td></tr>
 * <tr><td>{@code ballast.model}</td><td>JSON network shape: cell, features, hidden, layers, outputs, every_step</td></tr>
 * <tr><td>{@code ballast.metrics}</td><td>JSON metrics the model was saved with</td></tr>
 * <tr><td>{@code ballast.provenance}</td><td>JSON: the training provenance plus an {@code export} block</td></tr>
 * <tr><td>{@code ballast.signature}</td><td>JSON: names, types and shapes of the inputs and outputs</td></tr>
 * </table>
 *
 * <pre>{@code
 * OnnxExporter.write(ForecastOnnxExporter.export(Path.of("runs/forecast")), Path.of("forecaster.onnx"));
 * }</pre>
 */
public final class ForecastOnnxExporter {

    public static final String FORMAT_NAME = "ballast-onnx-forecaster";
    public static final int VERSION = 1;
    public static final String FORECASTER = "ballast.forecaster";
    public static final String CONFIG = "ballast.forecaster_config";
    public static final String ENCODING = "ballast.encoding";
    public static final String X = "x";
    public static final String Y = "y";

    private ForecastOnnxExporter() {
    }

    /** Loads the forecaster saved in {@code dir} and exports it. */
    public static OnnxMl.ModelProto export(Path dir) {
        return export(ForecasterFiles.load(dir), ForecasterFiles.readJson(dir));
    }

    /**
     * The ONNX model of {@code f}.
     *
     * @param document the {@code forecaster.json} document {@code f} was saved with (its config and
     *                 encoding must be {@code f}'s); it goes into the metadata whole
     */
    public static OnnxMl.ModelProto export(Forecaster f, JsonNode document) {
        ForecastNetwork net = f.network();
        NetworkShape shape = net.shape();
        boolean lstm = shape.cell() == CellType.LSTM;
        int h = shape.hidden();
        int o = shape.outputs();
        List<Parameter> ps = net.parameters(); // 3 per layer, then head.weight (H, O), head.bias (O)

        ONNXContext ctx = new ONNXContext();
        ctx.setName("ballast_" + shape.cell().id().replace('-', '_') + "_forecaster");
        // Tribuo only declares float (batch, n) placeholders; the real shapes are set on the graph below.
        ONNXPlaceholder x = ctx.floatInput(X, shape.features());
        ONNXPlaceholder h0 = ctx.floatInput(OnnxExporter.H0, h);
        ONNXPlaceholder c0 = lstm ? ctx.floatInput(OnnxExporter.C0, h) : null;
        ONNXPlaceholder yOut = ctx.floatOutput(Y, o);
        ONNXPlaceholder hnOut = ctx.floatOutput(OnnxExporter.HN, h);
        ONNXPlaceholder cnOut = lstm ? ctx.floatOutput(OnnxExporter.CN, h) : null;

        List<RecurrentStack.Layer> layers = new ArrayList<>();
        for (int l = 0; l < shape.layers(); l++) {
            layers.add(new RecurrentStack.Layer(l == 0 ? shape.features() : h, ps.get(3 * l).value(),
                    ps.get(3 * l + 1).value(), ps.get(3 * l + 2).value()));
        }
        RecurrentStack.Output stack = RecurrentStack.build(ctx, x, shape.cell(), h, layers, h0, c0);
        float[] w = ps.get(ps.size() - 2).value();
        float[] b = ps.get(ps.size() - 1).value();
        ONNXInitializer headW = ctx.floatTensor("head_weight", List.of(h, o), buf -> buf.put(w));
        ONNXInitializer headB = ctx.floatTensor("head_bias", List.of(o), buf -> buf.put(b));
        ONNXNode projected = ctx.operation(OnnxOps.MATMUL, List.of(stack.top(), headW), "projected");
        ctx.assignTo(ctx.operation(ONNXOperators.ADD, List.of(projected, headB), "y_raw"), yOut);
        ctx.assignTo(ctx.operation(ONNXOperators.CONCAT, stack.finalH(), "hn_raw", Map.of("axis", 0)), hnOut);
        if (lstm) {
            ctx.assignTo(ctx.operation(ONNXOperators.CONCAT, stack.finalC(), "cn_raw", Map.of("axis", 0)), cnOut);
        }

        OnnxMl.TensorProto.DataType f32 = OnnxMl.TensorProto.DataType.FLOAT;
        OnnxMl.GraphProto.Builder graph = ctx.buildGraph().toBuilder();
        graph.clearInput();
        graph.addInput(OnnxExporter.valueInfo(X, f32, "sequence", "batch", shape.features()));
        graph.addInput(OnnxExporter.valueInfo(OnnxExporter.H0, f32, shape.layers(), "batch", h));
        if (lstm) {
            graph.addInput(OnnxExporter.valueInfo(OnnxExporter.C0, f32, shape.layers(), "batch", h));
        }
        graph.clearOutput();
        graph.addOutput(OnnxExporter.valueInfo(Y, f32, "sequence", "batch", o));
        graph.addOutput(OnnxExporter.valueInfo(OnnxExporter.HN, f32, shape.layers(), "batch", h));
        if (lstm) {
            graph.addOutput(OnnxExporter.valueInfo(OnnxExporter.CN, f32, shape.layers(), "batch", h));
        }
        graph.setDocString("Ballast " + shape.cell().id() + " forecaster: encoded input rows (sequence, batch, features) "
                + "and initial states (layers, batch, hidden) in; scaled predictions (sequence, batch, outputs) and "
                + "final states out. Encoding parameters are in the ballast.encoding metadata.");

        OnnxMl.ModelProto.Builder proto = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(OnnxExporter.IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxOps.OPSET))
                .setProducerName("ballast")
                .setProducerVersion(Provenance.currentVersion())
                .setDomain("dev.ballast")
                .setModelVersion(VERSION)
                .setDocString("Recurrent forecaster exported by Ballast; see the ballast.* metadata.")
                .setGraph(graph);
        metadata(f, document, lstm).forEach((k, v) ->
                proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return proto.build();
    }

    static Map<String, String> metadata(Forecaster f, JsonNode document, boolean lstm) {
        NetworkShape shape = f.network().shape();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(OnnxMetadata.FORMAT, FORMAT_NAME);
        m.put(OnnxMetadata.FORMAT_VERSION, Integer.toString(VERSION));
        m.put(FORECASTER, document.toString());
        m.put(CONFIG, document.path("config").toString());
        ObjectNode enc = document.path("encoding").isObject()
                ? ((ObjectNode) document.get("encoding")).deepCopy() : JsonNodeFactory.instance.objectNode();
        enc.set("covariates", document.path("covariates").isArray() ? document.get("covariates").deepCopy()
                : JsonNodeFactory.instance.arrayNode());
        enc.put("min_history", f.earliestOrigin());
        enc.put("row", "[s_t, (covariate_k - shift_k) / scale_k ..., sin(2 pi (t mod season) / season), "
                + "cos(...) if phase_features]; s_t = (d_t - shift) / scale, d_t = z_t - z_{t-difference} "
                + "(or z_t if difference is 0), z_t = log y_t if transform is log else y_t; t counts from the "
                + "first value of the history");
        m.put(ENCODING, enc.toString());
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("cell", shape.cell().id());
        model.put("features", shape.features());
        model.put("hidden", shape.hidden());
        model.put("layers", shape.layers());
        model.put("outputs", shape.outputs());
        model.put("every_step", shape.everyStep());
        model.put("lookback", f.config().lookback());
        model.put("strategy", f.config().strategy().id());
        m.put(OnnxMetadata.MODEL, model.toString());
        m.put(OnnxMetadata.METRICS, document.path("metrics").isObject() ? document.get("metrics").toString() : "{}");
        ObjectNode provenance = document.path("provenance").isObject()
                ? ((ObjectNode) document.get("provenance")).deepCopy() : JsonNodeFactory.instance.objectNode();
        provenance.set("export", OnnxExporter.exportBlock());
        m.put(OnnxMetadata.PROVENANCE, provenance.toString());
        m.put(OnnxMetadata.SIGNATURE, signature(lstm).toString());
        return m;
    }

    private static ObjectNode signature(boolean lstm) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ArrayNode in = n.putArray("inputs");
        in.add(X + ": float32 [sequence, batch, features] (encoded rows, see ballast.encoding)");
        in.add(OnnxExporter.H0 + ": float32 [layers, batch, hidden] (zeros for Ballast's forecasts)");
        if (lstm) {
            in.add(OnnxExporter.C0 + ": float32 [layers, batch, hidden] (zeros for Ballast's forecasts)");
        }
        ArrayNode out = n.putArray("outputs");
        out.add(Y + ": float32 [sequence, batch, outputs] (scaled; recursive: next value at every step, "
                + "direct: the last step's row holds the next `outputs` values)");
        out.add(OnnxExporter.HN + ": float32 [layers, batch, hidden]");
        if (lstm) {
            out.add(OnnxExporter.CN + ": float32 [layers, batch, hidden]");
        }
        n.put("layout", "time-major; a window of `lookback` rows per forecast step");
        return n;
    }
}
