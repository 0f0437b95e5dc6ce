package dev.ballast.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.NetworkShape;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forecaster as {@link RecurrentGraph} exports it: the encoded input rows go straight into the first
 * layer, and the head's scaled predictions are the output, at every step (see
 * {@link ForecastOnnxExporter} for how to read them); the forecaster.json document and the encoding go
 * into the metadata.
 * <pre>
 *   x  float (S, B, F)  ->  first layer as it is
 *   y  = MatMul(top, head_weight (H, O)) + head_bias                        (S, B, O)
 * </pre>
 */
final class ExportedForecaster implements ExportedModel {

    private final Forecaster forecaster;
    private final NetworkShape shape;
    private final JsonNode document;

    /** {@code document} is the forecaster.json {@code forecaster} was saved with. */
    ExportedForecaster(Forecaster forecaster, JsonNode document) {
        this.forecaster = forecaster;
        this.shape = forecaster.network().shape();
        this.document = document;
    }

    @Override
    public Description description() {
        String cell = shape.cell().id();
        return new Description("ballast_" + cell.replace('-', '_') + "_forecaster",
                "Ballast " + cell + " forecaster: encoded input rows (sequence, batch, features) and initial states "
                        + "(layers, batch, hidden) in; scaled predictions (sequence, batch, outputs) and final states "
                        + "out. Encoding parameters are in the ballast.encoding metadata.",
                "Recurrent forecaster exported by Ballast; see the ballast.* metadata.",
                ForecastOnnxExporter.FORMAT_NAME, ForecastOnnxExporter.VERSION);
    }

    @Override
    public RecurrentStack.Spec stack() {
        List<Parameter> ps = forecaster.network().parameters(); // 3 per layer, then the head's 2
        List<RecurrentStack.Layer> layers = new ArrayList<>();
        for (int l = 0; l < shape.layers(); l++) {
            layers.add(new RecurrentStack.Layer(l == 0 ? shape.features() : shape.hidden(), ps.get(3 * l).value(),
                    ps.get(3 * l + 1).value(), ps.get(3 * l + 2).value()));
        }
        return new RecurrentStack.Spec(shape.cell(), shape.hidden(), layers, false);
    }

    @Override
    public GraphTensor firstInput() {
        return GraphTensor.float32(ForecastOnnxExporter.X, "(encoded rows, see ballast.encoding)",
                GraphTensor.Dim.SEQUENCE, GraphTensor.Dim.BATCH, GraphTensor.Dim.fixed("features", shape.features()));
    }

    @Override
    public GraphTensor firstOutput() {
        return GraphTensor.float32(ForecastOnnxExporter.Y, "(scaled; recursive: next value at every step, "
                        + "direct: the last step's row holds the next `outputs` values)",
                GraphTensor.Dim.SEQUENCE, GraphTensor.Dim.BATCH, GraphTensor.Dim.fixed("outputs", shape.outputs()));
    }

    @Override
    public String initialStateNote() {
        return "(zeros for Ballast's forecasts)";
    }

    @Override
    public String layout() {
        return "time-major; a window of `lookback` rows per forecast step";
    }

    @Override
    public ONNXRef<?> inputPart(ONNXContext ctx, ONNXPlaceholder x) {
        return x;
    }

    @Override
    public Head head(ONNXContext ctx) {
        List<Parameter> ps = forecaster.network().parameters();
        float[] w = ps.get(ps.size() - 2).value(); // (H, O)
        float[] b = ps.get(ps.size() - 1).value(); // (O)
        return new Head(ctx.floatTensor("head_weight", List.of(shape.hidden(), shape.outputs()), buf -> buf.put(w)),
                ctx.floatTensor("head_bias", List.of(shape.outputs()), buf -> buf.put(b)), "y_raw");
    }

    @Override
    public ONNXRef<?> outputPart(ONNXContext ctx, ONNXNode head) {
        return head;
    }

    @Override
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ForecastOnnxExporter.FORECASTER, documentWithoutPaths().toString());
        m.put(ForecastOnnxExporter.CONFIG, document.path("config").toString());
        m.put(ForecastOnnxExporter.ENCODING, encoding().toString());
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("cell", shape.cell().id());
        model.put("features", shape.features());
        model.put("hidden", shape.hidden());
        model.put("layers", shape.layers());
        model.put("outputs", shape.outputs());
        model.put("every_step", shape.everyStep());
        model.put("lookback", forecaster.config().lookback());
        model.put("strategy", forecaster.config().strategy().id());
        m.put(OnnxMetadata.MODEL, model.toString());
        m.put(OnnxMetadata.METRICS, document.path("metrics").isObject() ? document.get("metrics").toString() : "{}");
        return m;
    }

    /** The forecaster.json document with its provenance as {@link ExportProvenance} names sources. */
    private JsonNode documentWithoutPaths() {
        if (!(document instanceof ObjectNode root) || !(root.get("provenance") instanceof ObjectNode saved)) {
            return document;
        }
        ObjectNode copy = root.deepCopy();
        copy.set("provenance", ExportProvenance.withFileNames(saved));
        return copy;
    }

    /** Everything a caller needs to build the input rows and read the predictions. */
    private ObjectNode encoding() {
        ObjectNode enc = document.path("encoding") instanceof ObjectNode e ? e.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        enc.set("covariates", document.path("covariates").isArray() ? document.get("covariates").deepCopy()
                : JsonNodeFactory.instance.arrayNode());
        enc.put("min_history", forecaster.earliestOrigin());
        enc.put("row", "[s_t, (covariate_k - shift_k) / scale_k ..., sin(2 pi (t mod season) / season), "
                + "cos(...) if phase_features]; s_t = (d_t - shift) / scale, d_t = z_t - z_{t-difference} "
                + "(or z_t if difference is 0), z_t = log y_t if transform is log else y_t; t counts from the "
                + "first value of the history");
        return enc;
    }

    @Override
    public ObjectNode provenance() {
        return document.path("provenance") instanceof ObjectNode p ? p : JsonNodeFactory.instance.objectNode();
    }
}
