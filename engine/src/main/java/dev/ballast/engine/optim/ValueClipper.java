package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;

import java.util.List;

/**
 * Element-wise clipping: every gradient component is clamped to {@code [-maxValue, maxValue]}
 * ({@code torch.nn.utils.clip_grad_value_}; Mikolov 2012 used it for RNN language models). Changes the
 * gradient's direction, unlike the norm clippers.
 */
public final class ValueClipper extends AbstractGradientClipper {

    private final double maxValue;

    /** @param maxValue the {@code --clip-value} threshold, &gt; 0 */
    public ValueClipper(double maxValue) {
        this.maxValue = requirePositive("clip_value", maxValue);
    }

    public double maxValue() {
        return maxValue;
    }

    @Override
    protected boolean apply(List<Parameter> params, double globalNorm) {
        float max = (float) maxValue;
        boolean clipped = false;
        for (Parameter p : params) {
            float[] g = p.grad();
            for (int i = 0; i < g.length; i++) {
                if (g[i] > max) {
                    g[i] = max;
                    clipped = true;
                } else if (g[i] < -max) {
                    g[i] = -max;
                    clipped = true;
                }
            }
        }
        return clipped;
    }

    @Override
    public String describe() {
        return "value(max=" + maxValue + ")";
    }
}
