package dev.ballast.forecast;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Linear;
import dev.ballast.engine.nn.Orthogonal;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The forecaster's network: no embedding, the F real-valued inputs of each step go straight into the
 * first recurrent layer (its {@code w_input} is the input projection), N stacked layers, and a linear
 * regression head. With {@link NetworkShape#everyStep()} the head reads every step and predicts the next
 * value (one-step-ahead training uses every position of the window); otherwise it reads only the last
 * step and emits O values at once (the direct multi-output strategy).
 *
 * <pre>
 *   x: (T, B, F)  ->  layer 0 .. N-1  ->  h: (T, B, H)  ->  head: (T*B, O) or (B, O) from the last step
 * </pre>
 * Every window starts from a zero state: forecasting windows are independent.
 */
public final class ForecastNetwork {

    private final NetworkShape shape;
    private final Kernels kernels;
    private final List<RecurrentLayer> layers;
    private final Linear head;
    private final List<Parameter> parameters;

    // Buffers for the last forward.
    private float[] x;       // (T, B, F) input of the last training forward (not copied: the caller keeps it)
    private float[] out;     // (rows, O) with rows = T*B or B
    private float[] dTop;    // (rows, H)
    private float[] dA;      // (T*B, max(F, H)), ping-pong gradients between layers
    private float[] dB;
    private float[] h0;      // (B, H) zero state
    private float[] c0;
    private int steps;
    private int batch;

    public ForecastNetwork(NetworkShape shape, Kernels kernels) {
        // Every weight matrix must fit an array, checked in long arithmetic before any is allocated.
        dev.ballast.engine.ResourceLimits.recurrentParameters(shape.cell().gates(), shape.features(), shape.hidden(),
                shape.layers(), "lower --hidden");
        dev.ballast.engine.ResourceLimits.arraySize("head.weight (--hidden " + shape.hidden() + " x " + shape.outputs()
                + " outputs)", "lower --hidden or --horizon", shape.hidden(), shape.outputs());
        this.shape = shape;
        this.kernels = kernels;
        List<RecurrentLayer> ls = new ArrayList<>();
        for (int l = 0; l < shape.layers(); l++) {
            ls.add(RecurrentLayer.create("layers." + l, shape.cell(), l == 0 ? shape.features() : shape.hidden(),
                    shape.hidden(), kernels));
        }
        this.layers = Collections.unmodifiableList(ls);
        this.head = new Linear("head", shape.hidden(), shape.outputs(), Parameter.Kind.OUTPUT_WEIGHT, kernels);
        List<Parameter> ps = new ArrayList<>();
        for (RecurrentLayer layer : layers) {
            ps.addAll(layer.parameters());
        }
        ps.add(head.weight());
        ps.add(head.bias());
        this.parameters = Collections.unmodifiableList(ps);
    }

    public NetworkShape shape() {
        return shape;
    }

    /** The recurrent layers, bottom first. */
    public List<RecurrentLayer> layers() {
        return layers;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** layers.{i}.w_input, layers.{i}.w_recurrent, layers.{i}.bias for each layer, then head.weight, head.bias. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * PyTorch's uniform(±1/sqrt(H)) for input and head weights, orthogonal recurrent blocks (Saxe et al.
     * 2014), zero biases with the LSTM forget-gate bias at 1 (Jozefowicz et al. 2015).
     */
    public void initialize(Rng rng) {
        int h = shape.hidden();
        float k = (float) (1.0 / Math.sqrt(h));
        int gates = shape.cell().gates();
        for (RecurrentLayer layer : layers) {
            uniform(layer.wInput().value(), k, rng);
            for (int g = 0; g < gates; g++) {
                Orthogonal.fill(layer.wRecurrent().value(), g * h, gates * h, h, rng);
            }
            float[] b = layer.bias().value();
            Arrays.fill(b, 0f);
            if (shape.cell() == CellType.LSTM) {
                Arrays.fill(b, h, 2 * h, 1f);
            }
        }
        uniform(head.weight().value(), k, rng);
        Arrays.fill(head.bias().value(), 0f);
    }

    private static void uniform(float[] a, float bound, Rng rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (2f * rng.nextFloat() - 1f) * bound;
        }
    }

    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    /** Rows the head emits for a window: T*B when every step is read, else B. */
    public int outputRows(int steps, int batch) {
        return shape.everyStep() ? steps * batch : batch;
    }

    // x: (T, B, F) -> (T*B, O) or (B, O); the returned array is reused by the next forward
    /** Runs the window from a zero state; the result holds {@link #outputRows} rows of O values. */
    public float[] forward(float[] x, int steps, int batch) {
        if (x.length < steps * batch * shape.features()) {
            throw new IllegalArgumentException("x holds " + x.length + " floats, the window needs "
                    + steps * batch * shape.features());
        }
        this.x = x;
        this.steps = steps;
        this.batch = batch;
        int h = shape.hidden();
        int rows = steps * batch;
        h0 = ensure(h0, batch * h);
        c0 = ensure(c0, batch * h);
        for (int l = 0; l < layers.size(); l++) {
            Arrays.fill(h0, 0, batch * h, 0f);
            Arrays.fill(c0, 0, batch * h, 0f);
            layers.get(l).forward(inputOf(l), inputOffset(l), steps, batch, h0, c0);
        }
        RecurrentLayer top = layers.get(layers.size() - 1);
        int headRows = outputRows(steps, batch);
        out = ensure(out, headRows * shape.outputs());
        int from = shape.everyStep() ? top.outputOffset() : top.outputOffset() + (rows - batch) * h;
        head.forward(top.output(), from, headRows, out);
        return out;
    }

    // dOut: (rows, O) gradient of the loss w.r.t. the last forward's output
    /** Accumulates every parameter's gradient for the last forward. */
    public void backward(float[] dOut) {
        int h = shape.hidden();
        int rows = steps * batch;
        int headRows = outputRows(steps, batch);
        RecurrentLayer top = layers.get(layers.size() - 1);
        int width = Math.max(shape.features(), h);
        dA = ensure(dA, rows * width);
        dB = ensure(dB, rows * width);
        dTop = ensure(dTop, headRows * h);
        int from = shape.everyStep() ? top.outputOffset() : top.outputOffset() + (rows - batch) * h;
        head.backward(top.output(), from, dOut, headRows, dTop);
        float[] dH = dA;  // (T, B, H): gradient w.r.t. the top layer's outputs
        if (shape.everyStep()) {
            System.arraycopy(dTop, 0, dH, 0, rows * h);
        } else {
            Arrays.fill(dH, 0, (rows - batch) * h, 0f); // only the last step feeds the head
            System.arraycopy(dTop, 0, dH, (rows - batch) * h, batch * h);
        }
        float[] dIn = dB;
        for (int l = layers.size() - 1; l >= 0; l--) {
            layers.get(l).backward(inputOf(l), inputOffset(l), dH, l == 0 ? null : dIn);
            float[] swap = dH;
            dH = dIn;
            dIn = swap;
        }
    }

    private float[] inputOf(int l) {
        return l == 0 ? x : layers.get(l - 1).output();
    }

    private int inputOffset(int l) {
        return l == 0 ? 0 : layers.get(l - 1).outputOffset();
    }

    private static float[] ensure(float[] a, int n) {
        return a != null && a.length >= n ? a : new float[n];
    }
}
