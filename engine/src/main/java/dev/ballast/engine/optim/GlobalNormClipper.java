package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;

import java.util.List;

/**
 * Global-norm clipping (Pascanu, Mikolov &amp; Bengio 2013, "On the difficulty of training recurrent
 * neural networks"): if the L2 norm of all gradients together exceeds {@code maxNorm}, scale every
 * gradient by the same factor so the direction is kept. Same arithmetic as
 * {@code torch.nn.utils.clip_grad_norm_}: {@code coef = maxNorm / (norm + 1e-6)}, applied when
 * {@code coef < 1} (the 1e-6 guards the division, and leaves the clipped norm a hair under maxNorm).
 */
public final class GlobalNormClipper extends AbstractGradientClipper {

    /** PyTorch's guard added to the norm. */
    static final double NORM_EPS = 1e-6;

    private final double maxNorm;

    /** @param maxNorm the {@code --clip-norm} threshold, &gt; 0 */
    public GlobalNormClipper(double maxNorm) {
        this.maxNorm = requirePositive("clip_norm", maxNorm);
    }

    public double maxNorm() {
        return maxNorm;
    }

    @Override
    protected boolean apply(List<Parameter> params, double globalNorm) {
        double coef = maxNorm / (globalNorm + NORM_EPS);
        if (coef >= 1) {
            return false;
        }
        for (Parameter p : params) {
            scale(p.grad(), (float) coef);
        }
        return true;
    }

    @Override
    public String describe() {
        return "global-norm(max=" + maxNorm + ")";
    }
}
