package dev.ballast.engine.nn;

import dev.ballast.engine.math.Kernels;

/**
 * Vanilla (Elman) recurrent layer: {@code h_t = act(x_t W_input + h_{t-1} W_recurrent + b)} with
 * act = tanh or ReLU. One gate block (G = 1); the activation itself is h_t, so the backward pass
 * needs nothing beyond the outputs.
 */
public final class RnnLayer extends RecurrentLayer {

    private final boolean relu;

    public RnnLayer(String prefix, boolean relu, int input, int hidden, Kernels kernels) {
        super(prefix, relu ? CellType.RNN_RELU : CellType.RNN_TANH, input, hidden, kernels);
        this.relu = relu;
    }

    @Override
    public CellType cell() {
        return relu ? CellType.RNN_RELU : CellType.RNN_TANH;
    }

    @Override
    protected void beginForward(float[] c) {
    }

    // gateActs block t: (B, H) pre-activations -> h_t into hs block t+1
    @Override
    protected void activate(int t) {
        int n = batch * hidden;
        int a = t * n;
        if (relu) {
            for (int i = 0; i < n; i++) {
                gateActs[a + i] = Math.max(0f, gateActs[a + i]);
            }
        } else {
            kernels.tanh(gateActs, a, n);
        }
        System.arraycopy(gateActs, a, hs, (t + 1) * n, n);
    }

    @Override
    protected void endForward(float[] c) {
    }

    @Override
    protected void beginBackward() {
    }

    // dH block t: (B, H) -> dGates block t: (B, H); tanh' = 1 - h^2, relu' = [h > 0]
    @Override
    protected void activateBackward(int t, float[] dH) {
        int n = batch * hidden;
        int off = t * n;
        for (int i = 0; i < n; i++) {
            float h = gateActs[off + i];
            float d = dH[off + i];
            dGates[off + i] = relu ? (h > 0f ? d : 0f) : d * (1f - h * h);
        }
    }
}
