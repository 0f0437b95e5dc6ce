package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;

import java.util.List;

/**
 * Adaptive gradient clipping, unit-wise (AGC: Brock, De, Smith, Simonyan 2021, "High-Performance
 * Large-Scale Image Recognition Without Normalization", §4.1). For every unit i with weights W_i and
 * gradient G_i:
 * <pre>
 *   max_i = ratio * max(|W_i|, 1e-3)
 *   if |G_i| &gt; max_i:  G_i *= max_i / max(|G_i|, 1e-6)
 * </pre>
 * so no step can change a unit's weights by more than a fraction of their size (the constants are those
 * of the paper and of timm's {@code adaptive_clip_grad}). A unit is what one output neuron owns: for the
 * (in, out) matrices here ({@code w_input}, {@code w_recurrent}, {@code output.weight}) a column, for the
 * (vocab, dim) embedding a row (one token's vector), for a bias one element.
 */
public final class AgcClipper extends AbstractGradientClipper {

    /** Floor on the weight norm, so zero-initialised units can still move (the paper's epsilon). */
    static final double WEIGHT_EPS = 1e-3;
    /** Floor on the gradient norm in the division (timm). */
    static final double GRAD_EPS = 1e-6;

    private final double ratio;

    /** @param ratio the {@code --clip-ratio} lambda, &gt; 0; the paper uses 0.01 to 0.16 */
    public AgcClipper(double ratio) {
        this.ratio = requirePositive("clip_ratio", ratio);
    }

    public double ratio() {
        return ratio;
    }

    @Override
    protected boolean apply(List<Parameter> params, double globalNorm) {
        boolean clipped = false;
        for (Parameter p : params) {
            int[] shape = p.shape();
            if (shape.length == 2 && p.kind() != Parameter.Kind.EMBEDDING) {
                clipped |= clipUnits(p.value(), p.grad(), shape[1], 1, shape[0], shape[1]);   // columns
            } else if (shape.length == 2) {
                clipped |= clipUnits(p.value(), p.grad(), shape[0], shape[1], shape[1], 1);   // rows
            } else {
                clipped |= clipUnits(p.value(), p.grad(), p.size(), 1, 1, 1);                 // elements
            }
        }
        return clipped;
    }

    /**
     * Unit u holds elements {@code u * unitStride + k * elemStride} for k in [0, len).
     */
    private boolean clipUnits(float[] w, float[] g, int units, int unitStride, int len, int elemStride) {
        boolean clipped = false;
        for (int u = 0; u < units; u++) {
            double ww = 0;
            double gg = 0;
            for (int k = 0, i = u * unitStride; k < len; k++, i += elemStride) {
                ww += (double) w[i] * w[i];
                gg += (double) g[i] * g[i];
            }
            double max = ratio * Math.max(Math.sqrt(ww), WEIGHT_EPS);
            double norm = Math.sqrt(gg);
            if (norm > max) {
                float coef = (float) (max / Math.max(norm, GRAD_EPS));
                for (int k = 0, i = u * unitStride; k < len; k++, i += elemStride) {
                    g[i] *= coef;
                }
                clipped = true;
            }
        }
        return clipped;
    }

    @Override
    public String describe() {
        return "agc(ratio=" + ratio + ")";
    }
}
