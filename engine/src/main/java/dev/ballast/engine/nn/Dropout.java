package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;

/**
 * Inverted dropout: in training each activation is zeroed with probability p and the survivors are
 * scaled by 1/(1-p), so evaluation needs no rescaling and is the identity. The mask comes from the
 * caller's {@link Rng}, so a training run is reproducible from its seed.
 */
public final class Dropout {

    private final float p;
    private float[] mask; // (N): 0 or 1/(1-p) for the last training forward
    private boolean masked; // whether the last forward applied a mask

    public Dropout(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    public float p() {
        return p;
    }

    // x: (N) from xOff, y: (N) from yOff; y may alias x
    /** {@code y = x * mask}; a copy when not training or p = 0 ({@code rng} may then be null). */
    public void forward(float[] x, int xOff, float[] y, int yOff, int n, boolean training, Rng rng) {
        masked = training && p > 0f;
        if (!masked) {
            if (x != y || xOff != yOff) {
                System.arraycopy(x, xOff, y, yOff, n);
            }
            return;
        }
        mask = Buffers.ensure(mask, n);
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextFloat() < p ? 0f : scale;
            y[yOff + i] = x[xOff + i] * mask[i];
        }
    }

    // dY: (N), dX: (N); dX may alias dY
    /** {@code dX = dY * mask} with the mask of the last forward. */
    public void backward(float[] dY, int dYOff, float[] dX, int dXOff, int n) {
        if (!masked) {
            if (dY != dX || dYOff != dXOff) {
                System.arraycopy(dY, dYOff, dX, dXOff, n);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            dX[dXOff + i] = dY[dYOff + i] * mask[i];
        }
    }
}
