package dev.ballast.engine.optim;

import dev.ballast.engine.InputException;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Parameter;

import java.util.List;

/**
 * The shared clipping loop: measure the global norm, leave non-finite gradients alone, let the subclass
 * rescale, measure again only if something changed.
 */
public abstract class AbstractGradientClipper implements GradientClipper {

    private Kernels kernels = KernelProvider.scalar();

    @Override
    public final ClipResult clip(List<Parameter> params) {
        return clip(params, globalNorm(params));
    }

    @Override
    public final ClipResult clip(List<Parameter> params, double before) {
        if (!Double.isFinite(before)) {
            return new ClipResult(before, before, false);
        }
        boolean clipped = apply(params, before);
        return new ClipResult(before, clipped ? globalNorm(params) : before, clipped);
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public void setKernels(Kernels kernels) {
        this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
    }

    /** sqrt(Σ g²) over every gradient, the parameters' {@link #squaredNorm}s added in order. */
    private double globalNorm(List<Parameter> params) {
        double sum = 0;
        for (Parameter p : params) {
            sum += squaredNorm(p.grad());
        }
        return Math.sqrt(sum);
    }

    /** Σ g² of one gradient, in double, on this clipper's kernels ({@link Kernels#sumOfSquares}). */
    protected final double squaredNorm(float[] g) {
        return kernels.sumOfSquares(g);
    }

    /**
     * Clips the gradients in place; called only when {@code globalNorm} is finite.
     *
     * @return whether any gradient changed
     */
    protected abstract boolean apply(List<Parameter> params, double globalNorm);

    static void scale(float[] g, float coef) {
        for (int i = 0; i < g.length; i++) {
            g[i] *= coef;
        }
    }

    static double requirePositive(String field, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw InputException.field(field, "must be > 0, got " + value);
        }
        return value;
    }
}
