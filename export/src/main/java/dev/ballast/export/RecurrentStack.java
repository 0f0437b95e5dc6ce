package dev.ballast.export;

import dev.ballast.engine.nn.CellType;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stacked ONNX {@code LSTM} / {@code RNN} nodes of a Ballast recurrent network, layer l reading layer
 * l-1's output and its own slice of the initial states.
 * <pre>
 *   x (S, B, I) -> layer l: Y (S, 1, B, H) -> Squeeze axis 1 -> (S, B, H);  Y_h, Y_c (1, B, H) per layer
 *   residual, l >= 1: x_next = Add(Squeeze(Y), x)                              (S, B, H)
 * </pre>
 * Ballast stores gate blocks in PyTorch's order i, f, g, o as columns of (I, 4H) matrices; ONNX wants
 * rows of (4H, I) in the order i, o, f, c, so the weights are transposed and reordered here. Ballast has
 * one bias per gate; it goes into ONNX's Wb and Rb is zero. {@code layout} stays 0 (ONNX Runtime's CPU
 * kernels refuse 1) and {@code sequence_lens} is never used.
 */
final class RecurrentStack {

    /** For each ONNX LSTM gate block (i, o, f, c), the index of Ballast's block (i, f, g, o). */
    private static final int[] LSTM_GATE_FROM_BALLAST = {0, 3, 1, 2};

    /** One layer's weights in Ballast's layout: w (I, G*H), r (H, G*H), bias (G*H). */
    record Layer(int inputSize, float[] wInput, float[] wRecurrent, float[] bias) {
    }

    /**
     * A whole stack: the cell, H, the layers bottom up, and whether layers from 1 up add their input to
     * their output (dropout is off at inference, so that is all a residual connection does).
     */
    record Spec(CellType cell, int hidden, List<Layer> layers, boolean residual) {
    }

    /** The top layer's output (S, B, H) and each layer's final states (1, B, H); finalC empty for an RNN. */
    record Output(ONNXRef<?> top, List<ONNXRef<?>> finalH, List<ONNXRef<?>> finalC) {
    }

    private RecurrentStack() {
    }

    /** Adds the stack on top of {@code x}; {@code c0} is null for an RNN. */
    static Output build(ONNXContext ctx, ONNXRef<?> x, Spec spec, ONNXPlaceholder h0, ONNXPlaceholder c0) {
        CellType cell = spec.cell();
        int h = spec.hidden();
        int gh = cell.gates() * h;
        ONNXInitializer axis0 = ctx.array("axis_0", new long[] {0});
        ONNXInitializer axis1 = ctx.array("axis_1", new long[] {1});
        List<ONNXRef<?>> finalH = new ArrayList<>();
        List<ONNXRef<?>> finalC = new ArrayList<>();
        for (int l = 0; l < spec.layers().size(); l++) {
            Layer layer = spec.layers().get(l);
            ONNXInitializer start = ctx.array("layer" + l + "_start", new long[] {l});
            ONNXInitializer end = ctx.array("layer" + l + "_end", new long[] {l + 1});
            List<ONNXRef<?>> inputs = new ArrayList<>();
            inputs.add(x);
            inputs.add(ctx.floatTensor("layer" + l + "_W", List.of(1, gh, layer.inputSize()),
                    b -> b.put(onnxWeight(layer.wInput(), layer.inputSize(), h, cell))));
            inputs.add(ctx.floatTensor("layer" + l + "_R", List.of(1, gh, h),
                    b -> b.put(onnxWeight(layer.wRecurrent(), h, h, cell))));
            inputs.add(ctx.floatTensor("layer" + l + "_B", List.of(1, 2 * gh),
                    b -> b.put(onnxBias(layer.bias(), h, cell))));
            inputs.add(ctx.operation(OnnxOps.SLICE, List.of(h0, start, end, axis0), "layer" + l + "_h0"));
            List<ONNXNode> outs;
            if (cell == CellType.LSTM) {
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
            x = spec.residual() && l >= 1
                    ? ctx.operation(ONNXOperators.ADD, List.of(out, x), "layer" + l + "_residual")
                    : out;
        }
        return new Output(x, finalH, finalC);
    }

    // ours: (in, G*H), gate blocks as column blocks -> ONNX: (G*H, in), row blocks in ONNX gate order
    private static float[] onnxWeight(float[] w, int in, int h, CellType cell) {
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
    private static float[] onnxBias(float[] b, int h, CellType cell) {
        int gates = cell.gates();
        float[] out = new float[2 * gates * h];
        for (int q = 0; q < gates; q++) {
            int g = gates == 4 ? LSTM_GATE_FROM_BALLAST[q] : 0;
            System.arraycopy(b, g * h, out, q * h, h);
        }
        return out;
    }
}
