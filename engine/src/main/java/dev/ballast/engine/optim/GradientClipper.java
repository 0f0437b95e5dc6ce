package dev.ballast.engine.optim;

import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Parameter;

import java.util.List;

/**
 * Rescales gradients in place between backward and the optimizer step. Implementations never touch
 * gradients whose global norm is NaN or infinite: they report it and leave recovery to the caller.
 *
 * <pre>{@code
 * GradientClipper clipper = Clippers.create(ClipMode.GLOBAL_NORM, 5.0, 0);
 * ClipResult r = clipper.clip(model.parameters());
 * if (!Double.isFinite(r.normBefore())) { ... skip the step ... }
 * }</pre>
 */
public interface GradientClipper {

    ClipResult clip(List<Parameter> params);

    /**
     * {@link #clip(List)} given the global norm of the gradients as they are now, as computed by
     * sqrt of {@link Kernels#sumOfSquares} of each gradient added in parameter order on this clipper's
     * kernels (e.g. by the stability monitor, which needs the per-parameter sums anyway). The default
     * ignores it and measures again.
     */
    default ClipResult clip(List<Parameter> params, double globalNorm) {
        return clip(params);
    }

    /**
     * Where the sums of squares of large gradients run (see {@link Kernels#sumOfSquares}); the
     * default keeps the calling thread.
     */
    default void setKernels(Kernels kernels) {
    }

    /** The kernels the norms are measured on (the scalar reference unless {@link #setKernels} chose others). */
    Kernels kernels();

    /** One line for logs and provenance, e.g. {@code global-norm(max=5.0)}. */
    String describe();
}
