package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer norm clipping: parameters are grouped by layer (the name up to its last dot:
 * {@code embedding}, {@code layers.0}, {@code output}) and each group whose joint L2 norm exceeds
 * {@code maxNorm} is scaled by {@code maxNorm / (norm + 1e-6)}, as {@link GlobalNormClipper} does for the
 * whole model. One exploding recurrent layer is tamed without shrinking the healthy ones.
 */
public final class LayerNormClipper extends AbstractGradientClipper {

    private final double maxNorm;

    /** @param maxNorm the {@code --clip-norm} threshold per layer, &gt; 0 */
    public LayerNormClipper(double maxNorm) {
        this.maxNorm = requirePositive("clip_norm", maxNorm);
    }

    public double maxNorm() {
        return maxNorm;
    }

    /** The layer a parameter belongs to: its name without the last dotted component. */
    public static String layerOf(Parameter p) {
        int dot = p.name().lastIndexOf('.');
        return dot < 0 ? p.name() : p.name().substring(0, dot);
    }

    /** Parameters grouped by {@link #layerOf}, in first-seen order. */
    public static Map<String, List<Parameter>> byLayer(List<Parameter> params) {
        Map<String, List<Parameter>> groups = new LinkedHashMap<>();
        for (Parameter p : params) {
            groups.computeIfAbsent(layerOf(p), k -> new java.util.ArrayList<>()).add(p);
        }
        return groups;
    }

    @Override
    protected boolean apply(List<Parameter> params, double globalNorm) {
        boolean clipped = false;
        for (List<Parameter> group : byLayer(params).values()) {
            double sum = 0;
            for (Parameter p : group) {
                sum += squaredNorm(p.grad());
            }
            double coef = maxNorm / (Math.sqrt(sum) + GlobalNormClipper.NORM_EPS);
            if (coef < 1) {
                for (Parameter p : group) {
                    scale(p.grad(), (float) coef);
                }
                clipped = true;
            }
        }
        return clipped;
    }

    @Override
    public String describe() {
        return "layer-norm(max=" + maxNorm + ")";
    }
}
