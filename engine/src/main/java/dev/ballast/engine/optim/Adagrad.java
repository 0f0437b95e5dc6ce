package dev.ballast.engine.optim;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011) as {@code torch.optim.Adagrad} computes it with no learning-rate
 * decay and a zero initial accumulator:
 * <pre>
 *   sum += g²
 *   w   -= lr * g / (sqrt(sum) + eps)         eps defaults to 1e-10 (PyTorch)
 * </pre>
 */
public final class Adagrad extends Optimizer {

    /** {@code torch.optim.Adagrad}'s default eps, used when the settings give none. */
    public static final double DEFAULT_EPS = 1e-10;

    private static final String[] SLOTS = {"sum"};

    private final float eps;

    public Adagrad(OptimizerSettings settings) {
        super("adagrad", settings, 0.0);
        this.eps = (float) settings.epsOr(DEFAULT_EPS);
    }

    @Override
    protected String[] slotNames() {
        return SLOTS;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, float lr, long t, int from, int to) {
        float[] sum = slots[0];
        for (int i = from; i < to; i++) {
            sum[i] += g[i] * g[i];
            w[i] -= lr * g[i] / ((float) Math.sqrt(sum[i]) + eps);
        }
    }
}
