package dev.ballast.forecast;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Linear;
import dev.ballast.engine.nn.InitScheme;
import dev.ballast.engine.nn.Initialization;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.Buffers;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.nn.RecurrentStack;
import dev.ballast.engine.nn.RecurrentState;

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
    private final RecurrentStack stack;
    private final Linear head;
    private final List<Parameter> parameters;

    // Buffers for the last forward.
    private RecurrentState zero; // (B, H) per layer, zeroed before every window
    private float[] out;         // (rows, O) with rows = T*B or B
    private float[] dLast;       // (B, H): the head's input gradient when only the last step feeds it
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
        this.stack = new RecurrentStack(shape.cell(), shape.features(), shape.hidden(), shape.layers(),
                shape.dropout(), false, kernels);
        this.head = new Linear("head", shape.hidden(), shape.outputs(), Parameter.Kind.OUTPUT_WEIGHT, kernels);
        List<Parameter> ps = new ArrayList<>(stack.parameters());
        ps.add(head.weight());
        ps.add(head.bias());
        this.parameters = Collections.unmodifiableList(ps);
    }

    public NetworkShape shape() {
        return shape;
    }

    /** The recurrent layers, bottom first. */
    public List<RecurrentLayer> layers() {
        return stack.layers();
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
     * 2014), zero biases with the LSTM forget-gate bias at 1 (Jozefowicz et al. 2015): the recurrent layers
     * through {@link Initialization#apply}, as the language model's.
     */
    public void initialize(Rng rng) {
        FORECASTER_INIT.apply(stack.layers(), rng);
        Initialization.uniform(head.weight().value(), (float) (1.0 / Math.sqrt(shape.hidden())), rng);
        Arrays.fill(head.bias().value(), 0f);
    }

    /** Orthogonal recurrent weights, forget bias 1: forecasting windows are long and start from zero. */
    static final Initialization FORECASTER_INIT = new Initialization(InitScheme.ORTHOGONAL, 1.0, 1f);

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
    /** Runs the window from a zero state without dropout (forecasting); the result holds {@link #outputRows} rows of O values. */
    public float[] forward(float[] x, int steps, int batch) {
        return forward(x, steps, batch, false, null);
    }

    /** {@link #forward(float[], int, int)}, in training with dropout masks from {@code rng} (may be null without dropout). */
    public float[] forward(float[] x, int steps, int batch, boolean training, Rng rng) {
        if (x.length < steps * batch * shape.features()) {
            throw new IllegalArgumentException("x holds " + x.length + " floats, the window needs "
                    + steps * batch * shape.features());
        }
        this.steps = steps;
        this.batch = batch;
        if (zero == null || zero.batch() != batch) {
            zero = new RecurrentState(shape.layers(), batch, shape.hidden(), shape.cell());
        } else {
            zero.zero(); // every window starts from a zero state: forecasting windows are independent
        }
        stack.forward(x, 0, steps, batch, zero, training, rng, null);
        int headRows = outputRows(steps, batch);
        out = Buffers.ensure(out, headRows * shape.outputs());
        head.forward(stack.output(), headInputOffset(), headRows, out);
        return out;
    }

    // dOut: (rows, O) gradient of the loss w.r.t. the last forward's output
    /** Accumulates every parameter's gradient for the last forward. */
    public void backward(float[] dOut) {
        int h = shape.hidden();
        int rows = steps * batch;
        int headRows = outputRows(steps, batch);
        float[] dH = stack.outputGradient(); // (T, B, H): gradient w.r.t. the top layer's outputs
        if (shape.everyStep()) {
            head.backward(stack.output(), headInputOffset(), dOut, headRows, dH);
        } else {
            dLast = Buffers.ensure(dLast, batch * h);
            head.backward(stack.output(), headInputOffset(), dOut, headRows, dLast);
            Arrays.fill(dH, 0, (rows - batch) * h, 0f); // only the last step feeds the head
            System.arraycopy(dLast, 0, dH, (rows - batch) * h, batch * h);
        }
        stack.backward(null, null);
    }

    /** Where the head's rows start in the stack's output: every step, or only the last one. */
    private int headInputOffset() {
        int rows = steps * batch;
        return shape.everyStep() ? stack.outputOffset() : stack.outputOffset() + (rows - batch) * shape.hidden();
    }
}
