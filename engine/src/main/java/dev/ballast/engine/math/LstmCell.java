package dev.ballast.engine.math;

/**
 * The element-wise part of an LSTM step, written once as the scalar reference behind
 * {@link Kernels#lstmForward} and {@link Kernels#lstmBackward}. Gate blocks are in PyTorch's order
 * i, f, g, o; each of the {@code rows} rows of {@code gates} holds 4H pre-activations (forward) or
 * activations (backward), and every other array holds H values per row:
 * <pre>
 *   forward:  i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
 *             c = f * c_prev + i * g       h = o * tanh(c)
 *   backward: dc       = dc_next + dh * o * (1 - tanh(c)^2)
 *             da_i     = dc * g * i * (1 - i)        da_f = dc * c_prev * f * (1 - f)
 *             da_g     = dc * i * (1 - g^2)          da_o = dh * tanh(c) * o * (1 - o)
 *             dc_next <- dc * f                      (what flows on to step t-1)
 * </pre>
 * Faster kernels must evaluate these expressions in the same order, without fusing a multiply
 * into an add, so that every implementation gives the same bits for the same activations.
 */
public final class LstmCell {

    private LstmCell() {
    }

    public static void forward(Kernels kernels, int rows, int hidden, float[] gates, int gOff,
                        float[] cPrev, int cPrevOff, float[] c, int cOff,
                        float[] tanhC, int tOff, float[] h, int hOff) {
        int h4 = 4 * hidden;
        for (int r = 0; r < rows; r++) {
            int row = gOff + r * h4;
            kernels.sigmoid(gates, row, 2 * hidden);          // i, f
            kernels.tanh(gates, row + 2 * hidden, hidden);    // g
            kernels.sigmoid(gates, row + 3 * hidden, hidden); // o
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = gates[row + j];
                float f = gates[row + hidden + j];
                float g = gates[row + 2 * hidden + j];
                c[cOff + s + j] = f * cPrev[cPrevOff + s + j] + i * g;
            }
        }
        int n = rows * hidden;
        System.arraycopy(c, cOff, tanhC, tOff, n);
        kernels.tanh(tanhC, tOff, n);
        for (int r = 0; r < rows; r++) {
            int row = gOff + r * h4 + 3 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                h[hOff + s + j] = gates[row + j] * tanhC[tOff + s + j];
            }
        }
    }

    public static void backward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                         float[] tanhC, int tOff, float[] dh, int dhOff, float[] dcNext, int dcOff,
                         float[] dGates, int dgOff) {
        for (int r = 0; r < rows; r++) {
            backwardRow(r, 0, hidden, hidden, gates, gOff, cPrev, cPrevOff, tanhC, tOff, dh, dhOff, dcNext, dcOff,
                    dGates, dgOff);
        }
    }

    /** {@link #backward} for lanes [from, to) of row r. */
    public static void backwardRow(int r, int from, int to, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                            float[] tanhC, int tOff, float[] dh, int dhOff, float[] dcNext, int dcOff,
                            float[] dGates, int dgOff) {
        int row = r * 4 * hidden;
        int s = r * hidden;
        for (int j = from; j < to; j++) {
            float i = gates[gOff + row + j];
            float f = gates[gOff + row + hidden + j];
            float g = gates[gOff + row + 2 * hidden + j];
            float o = gates[gOff + row + 3 * hidden + j];
            float tc = tanhC[tOff + s + j];
            float d = dh[dhOff + s + j];
            float dc = dcNext[dcOff + s + j] + d * o * (1f - tc * tc);
            float cp = cPrev[cPrevOff + s + j];
            dGates[dgOff + row + j] = dc * g * i * (1f - i);
            dGates[dgOff + row + hidden + j] = dc * cp * f * (1f - f);
            dGates[dgOff + row + 2 * hidden + j] = dc * i * (1f - g * g);
            dGates[dgOff + row + 3 * hidden + j] = d * tc * o * (1f - o);
            dcNext[dcOff + s + j] = dc * f;
        }
    }
}
