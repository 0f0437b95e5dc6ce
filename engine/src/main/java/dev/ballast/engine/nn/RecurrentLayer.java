package dev.ballast.engine.nn;

import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.PackedMatrix;

import java.util.List;

/**
 * The scaffolding shared by every recurrent cell: the weights, the input projection of a whole
 * window as one gemm, the step-by-step recurrence, and a backward pass that accumulates the weight
 * gradients as one gemm each over the window. A subclass only says how the G pre-activation blocks
 * of one step become h_t ({@link #activate}) and how dh_t becomes the pre-activation gradient
 * ({@link #activateBackward}).
 *
 * <p>Forward, for a window of T steps and B streams (rows are time-major, row t*B + b):
 * <pre>
 *   A       = X W_input + bias                       one gemm (T*B, I) x (I, G*H)
 *   A_t    += h_{t-1} W_recurrent                    per step (B, H) x (H, G*H)
 *   h_t     = cell(A_t, ...)                         subclass
 * </pre>
 * Backward (truncated BPTT: nothing flows into the initial state):
 * <pre>
 *   dA_t       = cell'(dh_t, ...)                    subclass
 *   dh_{t-1}  += dA_t W_recurrent^T                  per step
 *   dW_input  += X^T dA,  dW_recurrent += Hprev^T dA,  dbias += sum_rows dA,  dX = dA W_input^T
 * </pre>
 */
public abstract class RecurrentLayer {

    protected final int input;   // I
    protected final int hidden;  // H
    protected final int gates;   // G
    // w_input: (I, G*H), w_recurrent: (H, G*H), bias: (G*H)
    private final Parameter wInput;
    private final Parameter wRecurrent;
    private final Parameter bias;
    protected Kernels kernels;

    // Activations of the last forward, kept for backward; sized for the largest window seen.
    protected float[] gateActs; // (T, B, G*H): pre-activations, turned into activations in place by activate
    protected float[] hs;       // (T+1, B, H): block 0 is the initial state, block t+1 is h_t
    protected float[] dGates;   // (T, B, G*H): gradient w.r.t. the pre-activations
    protected int steps;
    protected int batch;
    private float[] traceDh;    // (T) diagnostics only: when set, backward writes |dL/dh_t| here
    // w_recurrent (H, G*H) and its transpose (G*H, H) prepared once per window for the per-step gemms
    private PackedMatrix packedRecurrent;
    private PackedMatrix packedRecurrentT;
    private float[] perToken;   // (V, G*H): forwardEmbedded's projection per token, then backwardEmbedded's sums

    protected RecurrentLayer(String prefix, CellType cell, int input, int hidden, Kernels kernels) {
        this.input = input;
        this.hidden = hidden;
        this.gates = cell.gates();
        int gh = gates * hidden;
        this.wInput = new Parameter(prefix + ".w_input", Parameter.Kind.INPUT_WEIGHT, input, gh);
        this.wRecurrent = new Parameter(prefix + ".w_recurrent", Parameter.Kind.RECURRENT_WEIGHT, hidden, gh);
        this.bias = new Parameter(prefix + ".bias", Parameter.Kind.BIAS, gh);
        this.kernels = kernels;
    }

    /** A layer of the given cell type; {@code prefix} names its parameters, e.g. {@code layers.0}. */
    public static RecurrentLayer create(String prefix, CellType cell, int input, int hidden, Kernels kernels) {
        return switch (cell) {
            case LSTM -> new LstmLayer(prefix, input, hidden, kernels);
            case RNN_TANH -> new RnnLayer(prefix, false, input, hidden, kernels);
            case RNN_RELU -> new RnnLayer(prefix, true, input, hidden, kernels);
        };
    }

    public abstract CellType cell();

    public Parameter wInput() {
        return wInput;
    }

    public Parameter wRecurrent() {
        return wRecurrent;
    }

    public Parameter bias() {
        return bias;
    }

    /** w_input, w_recurrent, bias. */
    public List<Parameter> parameters() {
        return List.of(wInput, wRecurrent, bias);
    }

    public int inputSize() {
        return input;
    }

    public int hiddenSize() {
        return hidden;
    }

    public void setKernels(Kernels kernels) {
        this.kernels = kernels;
    }

    /** The outputs of the last forward: h_t for step t, stream b is at {@code outputOffset() + (t*B + b)*H}. */
    public float[] output() {
        return hs;
    }

    /** Where h_0 of the last forward's output starts in {@link #output()} (after the initial state). */
    public int outputOffset() {
        return batch * hidden;
    }

    // x: (T, B, I) from xOff; h: (B, H) and c: (B, H) or null, initial state in, final state out
    /** Runs the window; {@code h} and {@code c} hold the initial state and are overwritten with the final one. */
    public void forward(float[] x, int xOff, int steps, int batch, float[] h, float[] c) {
        begin(steps, batch, c);
        projectInput(x, xOff, steps * batch, gateActs, 0);
        recur(h, c);
    }

    // tokens: (T, B); table: (V, I); h, c as in forward
    /**
     * {@link #forward} on the input rows {@code x_r = table[tokens[r]]} (an embedding lookup), with
     * the input projection done once per table row instead of once per token: {@code P = table
     * W_input + bias} is (V, G*H) and row r of A is row tokens[r] of P. Each element of P is summed
     * in the same order as the same element of the per-token product, so A has the same bits; the
     * saving is rows / V (2,048 tokens against 65 characters per window of the char models).
     */
    public void forwardEmbedded(int[] tokens, float[] table, int vocab, int steps, int batch, float[] h, float[] c) {
        perToken = Buffers.ensure(perToken, vocab * gates * hidden);
        projectInput(table, 0, vocab, perToken, 0);
        forwardProjected(tokens, perToken, steps, batch, h, c);
    }

    // x: (rows, I) from xOff -> out: (rows, G*H) from outOff
    /** {@code out = x W_input + bias} for {@code rows} rows: the input projection, as forward computes it. */
    public void projectInput(float[] x, int xOff, int rows, float[] out, int outOff) {
        int gh = gates * hidden;
        float[] b = bias.value();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, out, outOff + r * gh, gh);
        }
        kernels.gemm(false, false, rows, gh, input, x, xOff, input, wInput.value(), 0, gh, 1f, out, outOff, gh);
    }

    // rowsOf: (T, B) row indices into projected (R, G*H); h, c as in forward
    /**
     * {@link #forward} with the input projection of row r taken from row {@code rowsOf[r]} of
     * {@code projected} ({@link #projectInput} results, e.g. one per vocabulary entry).
     */
    public void forwardProjected(int[] rowsOf, float[] projected, int steps, int batch, float[] h, float[] c) {
        begin(steps, batch, c);
        int gh = gates * hidden;
        for (int r = 0; r < steps * batch; r++) {
            System.arraycopy(projected, rowsOf[r] * gh, gateActs, r * gh, gh);
        }
        recur(h, c);
    }

    private void begin(int steps, int batch, float[] c) {
        this.steps = steps;
        this.batch = batch;
        int gh = gates * hidden;
        int rows = steps * batch;
        gateActs = Buffers.ensure(gateActs, rows * gh);
        hs = Buffers.ensure(hs, (rows + batch) * hidden);
        dGates = Buffers.ensure(dGates, rows * gh);
        beginForward(c);
    }

    /** The recurrence over the window, from A = the input projection (plus bias) in gateActs. */
    private void recur(float[] h, float[] c) {
        int gh = gates * hidden;
        int rows = steps * batch;
        System.arraycopy(h, 0, hs, 0, batch * hidden);
        float[] wr = wRecurrent.value();
        // One packing per window instead of one per step; a single step (generation) packs nothing.
        PackedMatrix w = null;
        if (steps > 1) {
            w = packedRecurrent = kernels.pack(false, hidden, gh, wr, 0, gh, packedRecurrent);
        }
        for (int t = 0; t < steps; t++) {
            if (w != null) {
                kernels.gemm(false, batch, hs, t * batch * hidden, hidden, w, 1f, gateActs, t * batch * gh, gh);
            } else {
                kernels.gemm(false, false, batch, gh, hidden, hs, t * batch * hidden, hidden, wr, 0, gh,
                        1f, gateActs, t * batch * gh, gh);
            }
            activate(t);
        }
        System.arraycopy(hs, rows * hidden, h, 0, batch * hidden);
        endForward(c);
    }

    // x: (T, B, I) from xOff (the forward's input); dH: (T, B, H), overwritten; dX: (T, B, I) or null
    /**
     * Accumulates the parameter gradients for the last forward given {@code dH}, the gradient of the
     * loss w.r.t. each output h_t. {@code dH} is used as scratch: the recurrent gradient is added into
     * it. Unless null, {@code dX} is overwritten with the gradient w.r.t. the input.
     */
    public void backward(float[] x, int xOff, float[] dH, float[] dX) {
        int gh = gates * hidden;
        int rows = steps * batch;
        recurBackward(dH);
        kernels.gemm(true, false, input, gh, rows, x, xOff, input, dGates, 0, gh, 1f, wInput.grad(), 0, gh);
        recurrentAndBiasGradients();
        if (dX != null) {
            kernels.gemm(false, true, rows, input, gh, dGates, 0, gh, wInput.value(), 0, gh, 0f, dX, 0, input);
        }
    }

    // tokens, table (V, I): as in forwardEmbedded; dH as in backward; dTable: (V, I), accumulated into
    /**
     * The backward of {@link #forwardEmbedded}: with {@code S = } the sum of the dA rows of each token
     * (V, G*H), {@code dW_input += table^T S} and {@code dTable += S W_input^T} — the gradient w.r.t.
     * the table rows that backward's dX would have scattered into them, again at V rows instead of
     * one per token. The same sums as {@link #backward} in a different order, so not the same bits.
     */
    public void backwardEmbedded(int[] tokens, float[] table, int vocab, float[] dH, float[] dTable) {
        int gh = gates * hidden;
        int rows = steps * batch;
        recurBackward(dH);
        perToken = Buffers.ensure(perToken, vocab * gh);
        float[] sums = perToken; // the forward's per-token projection is not needed any more
        float[] d = dGates;
        // columns are independent: shared between the threads, rows summed in order within each
        kernels.forEachRange(gh, 256, (from, to) -> {
            for (int v = 0; v < vocab; v++) {
                java.util.Arrays.fill(sums, v * gh + from, v * gh + to, 0f);
            }
            for (int r = 0; r < rows; r++) {
                int dst = tokens[r] * gh;
                int src = r * gh;
                for (int j = from; j < to; j++) {
                    sums[dst + j] += d[src + j];
                }
            }
        });
        kernels.gemm(true, false, input, gh, vocab, table, 0, input, sums, 0, gh, 1f, wInput.grad(), 0, gh);
        recurrentAndBiasGradients();
        kernels.gemm(false, true, vocab, input, gh, sums, 0, gh, wInput.value(), 0, gh, 1f, dTable, 0, input);
    }

    /** The backward recurrence: dGates for every step, the recurrent part of dH added along the way. */
    private void recurBackward(float[] dH) {
        int gh = gates * hidden;
        float[] wr = wRecurrent.value();
        PackedMatrix wT = null;
        if (steps > 2) {
            wT = packedRecurrentT = kernels.pack(true, gh, hidden, wr, 0, gh, packedRecurrentT);
        }
        beginBackward();
        for (int t = steps - 1; t >= 0; t--) {
            if (traceDh != null) {
                traceDh[t] = l2(dH, t * batch * hidden, batch * hidden); // dh_t is complete here
            }
            activateBackward(t, dH);
            if (t > 0 && wT != null) {
                kernels.gemm(false, batch, dGates, t * batch * gh, gh, wT, 1f, dH, (t - 1) * batch * hidden, hidden);
            } else if (t > 0) {
                kernels.gemm(false, true, batch, hidden, gh, dGates, t * batch * gh, gh, wr, 0, gh,
                        1f, dH, (t - 1) * batch * hidden, hidden);
            }
        }
    }

    private void recurrentAndBiasGradients() {
        int gh = gates * hidden;
        int rows = steps * batch;
        kernels.gemm(true, false, hidden, gh, rows, hs, 0, hidden, dGates, 0, gh, 1f, wRecurrent.grad(), 0, gh);
        kernels.addColumnSums(rows, gh, dGates, 0, gh, bias.grad());
    }

    /**
     * Diagnostics (the stability monitor's reach-back curve): while {@code out} is set, each backward
     * writes the L2 norm over the batch of the complete gradient dL/dh_t into {@code out[t]}, t in [0, T).
     * Costs one pass over dH; null switches it off.
     */
    public void traceGradients(float[] out) {
        traceDh = out;
    }

    private static float l2(float[] a, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += (double) a[i] * a[i];
        }
        return (float) Math.sqrt(s);
    }

    /** Called before the recurrence with the initial cell state (null for cells without one). */
    protected abstract void beginForward(float[] c);

    /**
     * Turns the pre-activations of step t ({@code gateActs} block t) into activations in place and
     * writes h_t into {@code hs} block t+1.
     */
    protected abstract void activate(int t);

    /** Called after the recurrence to store the final cell state into {@code c} (null without one). */
    protected abstract void endForward(float[] c);

    /** Called before the backward recurrence, e.g. to clear a carried cell gradient. */
    protected abstract void beginBackward();

    /** Writes {@code dGates} block t from the complete gradient dh_t ({@code dH} block t). */
    protected abstract void activateBackward(int t, float[] dH);
}
