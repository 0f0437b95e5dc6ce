package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;

import java.util.List;

/**
 * Per-tensor norm clipping: each parameter's gradient is clipped to {@code maxNorm} on its own, with the
 * same {@code maxNorm / (norm + 1e-6)} coefficient as {@link GlobalNormClipper}. A tensor whose gradient
 * is already small is left alone, so one exploding matrix does not shrink the others.
 */
public final class TensorNormClipper extends AbstractGradientClipper {

    private final double maxNorm;

    /** @param maxNorm the {@code --clip-norm} threshold per tensor, &gt; 0 */
    public TensorNormClipper(double maxNorm) {
        this.maxNorm = requirePositive("clip_norm", maxNorm);
    }

    public double maxNorm() {
        return maxNorm;
    }

    @Override
    protected boolean apply(List<Parameter> params, double globalNorm) {
        boolean clipped = false;
        for (Parameter p : params) {
            double coef = maxNorm / (Math.sqrt(squaredNorm(p.grad())) + GlobalNormClipper.NORM_EPS);
            if (coef < 1) {
                scale(p.grad(), (float) coef);
                clipped = true;
            }
        }
        return clipped;
    }

    @Override
    public String describe() {
        return "tensor-norm(max=" + maxNorm + ")";
    }
}
