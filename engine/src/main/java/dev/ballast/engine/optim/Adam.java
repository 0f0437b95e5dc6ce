package dev.ballast.engine.optim;

/**
 * Adam (Kingma &amp; Ba 2015), written as {@code torch.optim.Adam} computes it so results match PyTorch up
 * to float rounding:
 * <pre>
 *   m = b1 m + (1 - b1) g
 *   v = b2 v + (1 - b2) g²
 *   denom = sqrt(v) / sqrt(1 - b2^t) + eps
 *   w -= (lr / (1 - b1^t)) * m / denom
 * </pre>
 * The bias corrections are computed in double, as PyTorch does with Python floats. With weight decay
 * given this is AdamW (the decay is decoupled, see {@link Optimizer}); {@link AdamW} only changes the
 * default decay.
 */
public class Adam extends Optimizer {

    private static final String[] SLOTS = {"m", "v"};

    private final float beta1;
    private final float beta2;
    private final float eps;

    public Adam(OptimizerSettings settings) {
        this("adam", settings, 0.0);
    }

    Adam(String name, OptimizerSettings settings, double defaultWeightDecay) {
        super(name, settings, defaultWeightDecay);
        this.beta1 = (float) settings.beta1();
        this.beta2 = (float) settings.beta2();
        this.eps = (float) settings.epsOr(OptimizerSettings.DEFAULT_EPS);
    }

    @Override
    protected final String[] slotNames() {
        return SLOTS;
    }

    @Override
    protected final void update(float[] w, float[] g, float[][] slots, float lr, long t, int from, int to) {
        float[] m = slots[0];
        float[] v = slots[1];
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = from; i < to; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            float denom = (float) Math.sqrt(v[i]) / correction2Sqrt + eps;
            w[i] -= stepSize * m[i] / denom;
        }
    }
}
