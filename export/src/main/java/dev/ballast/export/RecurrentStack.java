package dev.ballast.export;

import dev.ballast.engine.nn.CellType;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stacked ONNX {@code LSTM} / {@code RNN} nodes of a Ballast recurrent network, layer l reading layer
 * l-1's output and its own slice of the initial states. Used by {@link OnnxExporter} and
 * {@link ForecastOnnxExporter}; the weight
 * layout conversion is {@link OnnxExporter#onnxWeight} / {@link OnnxExporter#onnxBias}.
 * <pre>
 *   x (S, B, I) -> layer l: Y (S, 1, B, H) -> Squeeze axis 1 -> (S, B, H);  Y_h, Y_c (1, B, H) per layer
 *   residual, l >= 1: x_next = Add(Squeeze(Y), x)                              (S, B, H)
 * </pre>
 */
final class RecurrentStack {

    /** One layer's weights in Ballast's layout: w (I, G*H), r (H, G*H), bias (G*H). */
    record Layer(int inputSize, float[] wInput, float[] wRecurrent, float[] bias) {
    }

    /** The top layer's output (S, B, H) and each layer's final states (1, B, H); finalC empty for an RNN. */
    record Output(ONNXRef<?> top, List<ONNXRef<?>> finalH, List<ONNXRef<?>> finalC) {
    }

    private RecurrentStack() {
    }

    static Output build(ONNXContext ctx, ONNXRef<?> x, CellType cell, int h, List<Layer> layers,
                        ONNXPlaceholder h0, ONNXPlaceholder c0) {
        return build(ctx, x, cell, h, layers, h0, c0, false);
    }

    /** With {@code residual}, layers from 1 up add their input to their output (dropout is off at inference). */
    static Output build(ONNXContext ctx, ONNXRef<?> x, CellType cell, int h, List<Layer> layers,
                        ONNXPlaceholder h0, ONNXPlaceholder c0, boolean residual) {
        boolean lstm = cell == CellType.LSTM;
        int gh = cell.gates() * h;
        ONNXInitializer axis0 = ctx.array("axis_0", new long[] {0});
        ONNXInitializer axis1 = ctx.array("axis_1", new long[] {1});
        List<ONNXRef<?>> finalH = new ArrayList<>();
        List<ONNXRef<?>> finalC = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            ONNXInitializer start = ctx.array("layer" + l + "_start", new long[] {l});
            ONNXInitializer end = ctx.array("layer" + l + "_end", new long[] {l + 1});
            List<ONNXRef<?>> inputs = new ArrayList<>();
            inputs.add(x);
            inputs.add(ctx.floatTensor("layer" + l + "_W", List.of(1, gh, layer.inputSize()),
                    b -> b.put(OnnxExporter.onnxWeight(layer.wInput(), layer.inputSize(), h, cell))));
            inputs.add(ctx.floatTensor("layer" + l + "_R", List.of(1, gh, h),
                    b -> b.put(OnnxExporter.onnxWeight(layer.wRecurrent(), h, h, cell))));
            inputs.add(ctx.floatTensor("layer" + l + "_B", List.of(1, 2 * gh),
                    b -> b.put(OnnxExporter.onnxBias(layer.bias(), h, cell))));
            inputs.add(ctx.operation(OnnxOps.SLICE, List.of(h0, start, end, axis0), "layer" + l + "_h0"));
            List<ONNXNode> outs;
            if (lstm) {
                inputs.add(ctx.operation(OnnxOps.SLICE, List.of(c0, start, end, axis0), "layer" + l + "_c0"));
                outs = ctx.operation(OnnxOps.LSTM, inputs,
                        List.of("layer" + l + "_Y", "layer" + l + "_Y_h", "layer" + l + "_Y_c"),
                        Map.of("hidden_size", h, "layout", 0));
                finalC.add(outs.get(2));
            } else {
                String act = cell == CellType.RNN_RELU ? "Relu" : "Tanh";
                outs = ctx.operation(OnnxOps.RNN, inputs, List.of("layer" + l + "_Y", "layer" + l + "_Y_h"),
                        Map.of("hidden_size", h, "layout", 0, "activations", new String[] {act}));
            }
            finalH.add(outs.get(1));
            // Y is (S, num_directions = 1, B, H); the next layer and the head want (S, B, H).
            ONNXRef<?> out = ctx.operation(OnnxOps.SQUEEZE, List.of(outs.get(0), axis1), "layer" + l + "_out");
            x = residual && l >= 1
                    ? ctx.operation(org.tribuo.util.onnx.ONNXOperators.ADD, List.of(out, x), "layer" + l + "_residual")
                    : out;
        }
        return new Output(x, finalH, finalC);
    }
}
