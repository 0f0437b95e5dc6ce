package dev.ballast.engine.optim;

/**
 * RMSProp (Tieleman &amp; Hinton 2012, lecture 6.5) in {@code torch.optim.RMSprop}'s form (not centered),
 * with PyTorch's defaults alpha 0.99 and eps 1e-8:
 * <pre>
 *   v   = a v + (1 - a) g²
 *   d   = g / (sqrt(v) + eps)
 *   buf = momentum * buf + d      (only when momentum &gt; 0; then d = buf)
 *   w  -= lr * d
 * </pre>
 */
public final class RmsProp extends Optimizer {

    private static final String[] V_SLOT = {"v"};
    private static final String[] V_MOMENTUM_SLOTS = {"v", "momentum"};

    private final float alpha;
    private final float eps;
    private final float momentum;

    public RmsProp(OptimizerSettings settings) {
        super("rmsprop", settings, 0.0);
        this.alpha = (float) settings.rmsAlpha();
        this.eps = (float) settings.epsOr(OptimizerSettings.DEFAULT_EPS);
        this.momentum = (float) settings.momentum();
    }

    @Override
    protected String[] slotNames() {
        return momentum > 0 ? V_MOMENTUM_SLOTS : V_SLOT;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, float lr, long t, int from, int to) {
        float[] v = slots[0];
        for (int i = from; i < to; i++) {
            v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
            float d = g[i] / ((float) Math.sqrt(v[i]) + eps);
            if (momentum > 0) {
                float[] buf = slots[1];
                buf[i] = momentum * buf[i] + d;
                d = buf[i];
            }
            w[i] -= lr * d;
        }
    }
}
