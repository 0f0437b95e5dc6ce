package dev.ballast.inference;

import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.ModelConfig;

import java.util.Arrays;

/**
 * One stream of text being read or written: the recurrent state carried from call to call. Feeding
 * "To be" then ", or not" gives the same predictions as feeding "To be, or not" at once. Not thread-safe
 * (one session per request); the model behind it may be shared.
 */
public final class InferenceSession {

    private final InferenceModel model;
    private final float[] h; // (L, 1, H)
    private final float[] c; // (L, 1, H), null for an RNN

    InferenceSession(InferenceModel model) {
        this.model = model;
        ModelConfig cfg = model.config();
        this.h = new float[cfg.layers() * cfg.hidden()];
        this.c = cfg.cell() == CellType.LSTM ? new float[h.length] : null;
    }

    public InferenceModel model() {
        return model;
    }

    // tokens: (T) -> (T, V)
    /** Feeds {@code tokens} in order; row t of the result holds the log-probabilities of the token after tokens[t]. */
    public float[] feed(int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("feed needs at least one token");
        }
        float[] out = new float[tokens.length * model.config().vocabSize()];
        model.forward(tokens, tokens.length, 1, h, c, out);
        return out;
    }

    /** Back to the zero state, as at the start of a text. */
    public void reset() {
        Arrays.fill(h, 0f);
        if (c != null) {
            Arrays.fill(c, 0f);
        }
    }
}
