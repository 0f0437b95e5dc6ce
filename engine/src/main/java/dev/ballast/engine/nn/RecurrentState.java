package dev.ballast.engine.nn;

import java.util.Arrays;

/**
 * The state a recurrent model carries from one window to the next for a batch of B streams:
 * per layer the hidden state {@code h} (B, H) and, for an LSTM, the cell state {@code c} (B, H).
 * Row b belongs to stream b.
 */
public final class RecurrentState {

    private final int batch;
    private final float[][] h; // [layer] -> (B, H)
    private final float[][] c; // [layer] -> (B, H), null entries for an RNN

    /** A zero state for {@code batch} streams of {@code layers} layers of {@code hidden} units of {@code cell}. */
    public RecurrentState(int layers, int batch, int hidden, CellType cell) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.batch = batch;
        this.h = new float[layers][batch * hidden];
        this.c = new float[layers][];
        if (cell == CellType.LSTM) {
            for (int l = 0; l < c.length; l++) {
                c[l] = new float[batch * hidden];
            }
        }
    }

    /** No state at all: for models whose windows are independent (each starts from zeros). */
    public static RecurrentState none(int batch) {
        return new RecurrentState(0, batch, 0, CellType.RNN_TANH);
    }

    private RecurrentState(RecurrentState other) {
        this.batch = other.batch;
        this.h = new float[other.h.length][];
        this.c = new float[other.c.length][];
        for (int l = 0; l < h.length; l++) {
            h[l] = other.h[l].clone();
            c[l] = other.c[l] == null ? null : other.c[l].clone();
        }
    }

    public int batch() {
        return batch;
    }

    public int layers() {
        return h.length;
    }

    /** The live hidden state of {@code layer}, (B, H). */
    public float[] h(int layer) {
        return h[layer];
    }

    /** The live cell state of {@code layer}, (B, H), or null when the cell has none (RNN). */
    public float[] c(int layer) {
        return c[layer];
    }

    /** Resets every stream to the zero state (e.g. at the start of an epoch). */
    public void zero() {
        for (int l = 0; l < h.length; l++) {
            Arrays.fill(h[l], 0f);
            if (c[l] != null) {
                Arrays.fill(c[l], 0f);
            }
        }
    }

    /** Overwrites this state with {@code other}'s, which must have the same shape. */
    public void copyFrom(RecurrentState other) {
        if (other.batch != batch || other.h.length != h.length
                || h.length > 0 && (other.h[0].length != h[0].length || (other.c[0] == null) != (c[0] == null))) {
            throw new IllegalArgumentException("cannot copy a state of a different shape");
        }
        for (int l = 0; l < h.length; l++) {
            System.arraycopy(other.h[l], 0, h[l], 0, h[l].length);
            if (c[l] != null) {
                System.arraycopy(other.c[l], 0, c[l], 0, c[l].length);
            }
        }
    }

    /** An independent deep copy. */
    public RecurrentState copy() {
        return new RecurrentState(this);
    }
}
