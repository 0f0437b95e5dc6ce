package dev.ballast.engine.nn;

import dev.ballast.engine.math.Kernels;

import java.util.Arrays;

/**
 * Long short-term memory layer (Hochreiter and Schmidhuber 1997, without peepholes, as in PyTorch).
 * The G*H = 4H columns of w_input, w_recurrent and bias are four H-wide blocks in PyTorch's order
 * <b>i, f, g, o</b> (input gate, forget gate, cell candidate, output gate):
 * <pre>
 *   i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
 *   c_t = f * c_{t-1} + i * g
 *   h_t = o * tanh(c_t)
 * </pre>
 */
public final class LstmLayer extends RecurrentLayer {

    private float[] cs;     // (T+1, B, H): block 0 is the initial cell state, block t+1 is c_t
    private float[] tanhC;  // (T, B, H): tanh(c_t)
    private float[] dcNext; // (B, H): dL/dc_t flowing back from step t+1, i.e. dc_{t+1} * f_{t+1}

    public LstmLayer(String prefix, int input, int hidden, Kernels kernels) {
        super(prefix, CellType.LSTM, input, hidden, kernels);
    }

    @Override
    public CellType cell() {
        return CellType.LSTM;
    }

    @Override
    protected void beginForward(float[] c) {
        int n = batch * hidden;
        cs = Buffers.ensure(cs, (steps + 1) * n);
        tanhC = Buffers.ensure(tanhC, steps * n);
        dcNext = Buffers.ensure(dcNext, n);
        System.arraycopy(c, 0, cs, 0, n);
    }

    // gateActs block t: (B, 4H) pre-activations -> activations; c_t, tanh(c_t), h_t
    @Override
    protected void activate(int t) {
        int n = batch * hidden;
        kernels.lstmForward(batch, hidden, gateActs, t * batch * 4 * hidden, cs, t * n, cs, (t + 1) * n,
                tanhC, t * n, hs, (t + 1) * n);
    }

    /**
     * Diagnostics: the share of forget-gate activations of the last forward that are saturated, below
     * {@code margin} (the cell forgets everything) or above {@code 1 - margin} (gradients through c pass
     * unchanged but the gate no longer learns).
     */
    public double forgetSaturation(double margin) {
        int h4 = 4 * hidden;
        long saturated = 0;
        long total = (long) steps * batch * hidden;
        for (int r = 0; r < steps * batch; r++) {
            int row = r * h4 + hidden;
            for (int j = 0; j < hidden; j++) {
                float f = gateActs[row + j];
                if (f < margin || f > 1 - margin) {
                    saturated++;
                }
            }
        }
        return total == 0 ? 0 : (double) saturated / total;
    }

    @Override
    protected void endForward(float[] c) {
        int n = batch * hidden;
        System.arraycopy(cs, steps * n, c, 0, n);
    }

    @Override
    protected void beginBackward() {
        Arrays.fill(dcNext, 0, batch * hidden, 0f);
    }

    // dH block t: (B, H) -> dGates block t: (B, 4H); updates dcNext to dc_t * f_t for step t-1
    @Override
    protected void activateBackward(int t, float[] dH) {
        int n = batch * hidden;
        int g = t * batch * 4 * hidden;
        // cs block t is c_{t-1}
        kernels.lstmBackward(batch, hidden, gateActs, g, cs, t * n, tanhC, t * n, dH, t * n, dcNext, 0, dGates, g);
    }
}
