package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * N stacked recurrent layers, the body the language model and the forecaster share: layer 0 reads the
 * input (I wide), layers 1..N-1 the one below (H wide). Each layer's output goes through dropout when
 * {@code dropout > 0} (the non-recurrent connections only, Zaremba et al. 2014); with {@code residual},
 * each layer l &gt;= 1 passes on {@code dropout(h_l) + x_l}, its input added back (He et al. 2016, stacked
 * as in GNMT), so the gradient reaches the lower layers through the identity as well.
 *
 * <pre>
 *   x: (T, B, I)  ->  layer 0 .. N-1 (state (B, H) per layer carried in and out)  ->  output: (T, B, H)
 *   backward: dOutput (T, B, H)  ->  every layer's parameter gradients, and dX (T, B, I) when asked
 * </pre>
 *
 * A caller with a faster way of feeding layer 0 than a dense input matrix (the language model's embedding
 * lookups) passes a {@link FirstLayer}. Buffers are sized for the largest window seen and reused.
 */
public final class RecurrentStack {

    /** Runs layer 0 in the caller's own way, for both directions. */
    public interface FirstLayer {
        /** Runs {@code layer} over the window from the state {@code h}, {@code c} (overwritten with the final state). */
        void forward(RecurrentLayer layer, int steps, int batch, float[] h, float[] c);

        /** Accumulates {@code layer}'s gradients (and the caller's input gradients) given dH (T·B, H), used as scratch. */
        void backward(RecurrentLayer layer, float[] dH);
    }

    private final List<RecurrentLayer> layers;
    private final Dropout[] dropouts; // after each layer; null entries when dropout = 0
    private final boolean residual;
    private final int hidden;
    private final int inputSize;

    // Buffers for the largest window seen; rows = steps * batch.
    private float[] x;          // (rows, I) input of the last forward (the caller's; not copied), null with a FirstLayer
    private int xOff;
    private final float[][] dropped; // [layer] -> (rows, H), outputs after dropout
    private final float[][] summed;  // [layer >= 1] -> (rows, H), dropout(h_l) + x_l when residual
    private float[] gradSkip;   // (rows, H), the gradient at a residual layer's output, kept for its input
    private float[] gradTop;    // (rows, H), the caller writes the gradient at output() here
    private float[] gradA;      // (rows, H), ping-pong with gradTop for the gradient between layers
    private int rows;

    public RecurrentStack(CellType cell, int inputSize, int hidden, int layers, float dropout, boolean residual,
                          Kernels kernels) {
        List<RecurrentLayer> ls = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            ls.add(RecurrentLayer.create("layers." + l, cell, l == 0 ? inputSize : hidden, hidden, kernels));
        }
        this.layers = Collections.unmodifiableList(ls);
        this.dropouts = new Dropout[layers];
        if (dropout > 0f) {
            for (int l = 0; l < layers; l++) {
                dropouts[l] = new Dropout(dropout);
            }
        }
        this.residual = residual;
        this.hidden = hidden;
        this.inputSize = inputSize;
        this.dropped = new float[layers][];
        this.summed = new float[layers][];
    }

    /** The layers, bottom first. */
    public List<RecurrentLayer> layers() {
        return layers;
    }

    /** layers.{i}.w_input, layers.{i}.w_recurrent, layers.{i}.bias for each layer, bottom first. */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (RecurrentLayer layer : layers) {
            ps.addAll(layer.parameters());
        }
        return ps;
    }

    public void setKernels(Kernels kernels) {
        for (RecurrentLayer layer : layers) {
            layer.setKernels(kernels);
        }
    }

    /**
     * One window from {@code state} (overwritten with the final state).
     *
     * @param x     (steps, batch, I) time-major input from {@code xOff}; ignored when {@code first} runs layer 0
     * @param first layer 0's own way of reading its input, or null for the dense {@code x}
     * @param rng   dropout masks; may be null when not training or without dropout
     */
    public void forward(float[] x, int xOff, int steps, int batch, RecurrentState state, boolean training, Rng rng,
                        FirstLayer first) {
        if (state.batch() != batch || state.layers() != layers.size()) {
            throw new IllegalArgumentException("state is for batch " + state.batch() + " and " + state.layers()
                    + " layers, the window has batch " + batch + " and the stack " + layers.size() + " layers");
        }
        this.x = x;
        this.xOff = xOff;
        this.rows = steps * batch;
        int h = hidden;
        for (int l = 0; l < layers.size(); l++) {
            RecurrentLayer layer = layers.get(l);
            if (l == 0 && first != null) {
                first.forward(layer, steps, batch, state.h(l), state.c(l));
            } else {
                layer.forward(inputOf(l), inputOffset(l), steps, batch, state.h(l), state.c(l));
            }
            if (dropouts[l] != null) {
                dropped[l] = Buffers.ensure(dropped[l], rows * h);
                dropouts[l].forward(layer.output(), layer.outputOffset(), dropped[l], 0, rows * h, training, rng);
            }
            if (residualAt(l)) {
                // summed = (dropped or raw output of layer l) + input of layer l, both (rows, H)
                float[] out = dropouts[l] != null ? dropped[l] : layer.output();
                int outOff = dropouts[l] != null ? 0 : layer.outputOffset();
                float[] in = inputOf(l);
                int inOff = inputOffset(l);
                summed[l] = Buffers.ensure(summed[l], rows * h);
                float[] s = summed[l];
                for (int i = 0; i < rows * h; i++) {
                    s[i] = out[outOff + i] + in[inOff + i];
                }
            }
        }
    }

    /** The output of the last forward, (rows, H) from {@link #outputOffset()}: what a head reads. */
    public float[] output() {
        return inputOf(layers.size());
    }

    public int outputOffset() {
        return inputOffset(layers.size());
    }

    /** The buffer, (rows, H), the caller fills with the gradient at {@link #output()} before {@link #backward}. */
    public float[] outputGradient() {
        gradTop = Buffers.ensure(gradTop, rows * hidden);
        return gradTop;
    }

    /**
     * Accumulates every layer's parameter gradients for the last forward, from the gradient the caller
     * wrote into {@link #outputGradient()} (which is used as scratch). Truncated BPTT: nothing flows into
     * the window's initial state.
     *
     * @param dX    (rows, I) overwritten with the gradient w.r.t. the input, or null when not needed
     * @param first layer 0's own backward (it gets the gradient at its output), or null for the dense input
     */
    public void backward(float[] dX, FirstLayer first) {
        int n = rows * hidden;
        gradA = Buffers.ensure(gradA, n);
        float[] dOut = gradTop; // (rows, H): gradient w.r.t. the output of layer l (after dropout / residual)
        float[] dIn = gradA;    // (rows, H): gradient w.r.t. its input, when that is the layer below
        for (int l = layers.size() - 1; l >= 0; l--) {
            boolean skip = residualAt(l);
            if (skip) { // y = dropout(h) + x: dL/dx gets dL/dy unchanged, besides what flows through the layer
                gradSkip = Buffers.ensure(gradSkip, n);
                System.arraycopy(dOut, 0, gradSkip, 0, n);
            }
            if (dropouts[l] != null) {
                dropouts[l].backward(dOut, 0, dOut, 0, n);
            }
            if (l == 0) {
                if (first != null) {
                    first.backward(layers.get(0), dOut);
                } else {
                    layers.get(0).backward(inputOf(0), inputOffset(0), dOut, dX);
                }
                return;
            }
            layers.get(l).backward(inputOf(l), inputOffset(l), dOut, dIn);
            if (skip) {
                for (int i = 0; i < n; i++) {
                    dIn[i] += gradSkip[i];
                }
            }
            float[] swap = dOut;
            dOut = dIn;
            dIn = swap;
        }
    }

    private boolean residualAt(int l) {
        return residual && l >= 1;
    }

    /** The input of layer l (l = layers.size() means whatever reads the top). */
    private float[] inputOf(int l) {
        if (l == 0) {
            return x;
        }
        if (residualAt(l - 1)) {
            return summed[l - 1];
        }
        return dropouts[l - 1] != null ? dropped[l - 1] : layers.get(l - 1).output();
    }

    private int inputOffset(int l) {
        if (l == 0) {
            return xOff;
        }
        if (residualAt(l - 1) || dropouts[l - 1] != null) {
            return 0;
        }
        return layers.get(l - 1).outputOffset();
    }
}
