package dev.ballast.engine.optim;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, in PyTorch's formulation
 * ({@code torch.optim.SGD}, dampening 0):
 * <pre>
 *   buf = momentum * buf + g
 *   d   = nesterov ? g + momentum * buf : buf        (d = g when momentum is 0)
 *   w  -= lr * d
 * </pre>
 * Polyak 1964 (heavy ball); Sutskever et al. 2013 (Nesterov momentum for deep learning). Unlike PyTorch,
 * weight decay is decoupled (see {@link Optimizer}).
 */
public final class Sgd extends Optimizer {

    private static final String[] NO_SLOTS = {};
    private static final String[] MOMENTUM_SLOT = {"momentum"};

    private final float momentum;
    private final boolean nesterov;

    public Sgd(OptimizerSettings settings) {
        super("sgd", settings, 0.0);
        this.momentum = (float) settings.momentum();
        this.nesterov = settings.nesterov();
    }

    @Override
    protected String[] slotNames() {
        return momentum > 0 ? MOMENTUM_SLOT : NO_SLOTS;
    }

    @Override
    protected void update(float[] w, float[] g, float[][] slots, float lr, long t, int from, int to) {
        if (momentum == 0) {
            for (int i = from; i < to; i++) {
                w[i] -= lr * g[i];
            }
            return;
        }
        float[] buf = slots[0];
        for (int i = from; i < to; i++) {
            buf[i] = momentum * buf[i] + g[i];
            float d = nesterov ? g[i] + momentum * buf[i] : buf[i];
            w[i] -= lr * d;
        }
    }
}
