package dev.ballast.trainer.optim;

import dev.ballast.trainer.nn.Parameter;

import java.util.List;

/**
 * Coupled L2 and L1 penalties, added to the gradients after backward:
 * <pre>
 *   penalty = 0.5 * l2 * Σ w² + l1 * Σ |w|
 *   g      += l2 * w + l1 * sign(w)          (sign(0) = 0, the usual subgradient)
 * </pre>
 * Biases are skipped unless {@code includeBiases}: penalizing them does not limit capacity and can hurt
 * (Goodfellow, Bengio &amp; Courville 2016, §7.1). For decoupled decay use the optimizer's weight decay.
 *
 * <pre>{@code
 * Regularizer reg = new Regularizer(1e-5, 0, false);
 * double penalty = reg.addGradients(model.parameters());   // add to the reported loss
 * }</pre>
 *
 * @param l2            the {@code --l2} coefficient, &gt;= 0
 * @param l1            the {@code --l1} coefficient, &gt;= 0
 * @param includeBiases whether {@link Parameter.Kind#BIAS} parameters are penalized too
 */
public record Regularizer(double l2, double l1, boolean includeBiases) {

    public Regularizer {
        if (!(l2 >= 0 && Double.isFinite(l2))) {
            throw new IllegalArgumentException("--l2 must be >= 0, got " + l2);
        }
        if (!(l1 >= 0 && Double.isFinite(l1))) {
            throw new IllegalArgumentException("--l1 must be >= 0, got " + l1);
        }
    }

    /** L2 and L1 on weights only; biases are excluded. */
    public Regularizer(double l2, double l1) {
        this(l2, l1, false);
    }

    /** A regularizer that does nothing. */
    public static Regularizer none() {
        return new Regularizer(0, 0, false);
    }

    /** Whether {@link #addGradients} does anything. */
    public boolean active() {
        return l2 > 0 || l1 > 0;
    }

    /**
     * Adds the penalty's gradient to each covered parameter's gradient.
     *
     * @return the penalty over the covered parameters (0 when not {@link #active()})
     */
    public double addGradients(List<Parameter> params) {
        if (!active()) {
            return 0;
        }
        float l2f = (float) l2;
        float l1f = (float) l1;
        double squares = 0;
        double absolutes = 0;
        for (Parameter p : params) {
            if (p.kind() == Parameter.Kind.BIAS && !includeBiases) {
                continue;
            }
            float[] w = p.value();
            float[] g = p.grad();
            for (int i = 0; i < w.length; i++) {
                g[i] += l2f * w[i] + l1f * Math.signum(w[i]);
                squares += (double) w[i] * w[i];
                absolutes += Math.abs(w[i]);
            }
        }
        return 0.5 * l2 * squares + l1 * absolutes;
    }
}
