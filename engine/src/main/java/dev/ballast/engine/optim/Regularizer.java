package dev.ballast.engine.optim;

import dev.ballast.engine.InputException;

import dev.ballast.engine.nn.Parameter;

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
 * <p>Recurrence gets its own knobs: {@code l2Input}, {@code l2Recurrent} and {@code l2Bias} replace
 * {@code l2} for {@link Parameter.Kind#INPUT_WEIGHT}, {@link Parameter.Kind#RECURRENT_WEIGHT} and
 * {@link Parameter.Kind#BIAS} parameters when given (NaN means "not given": input and recurrent weights
 * then use {@code l2}, biases {@code includeBiases ? l2 : 0}). Penalising W_recurrent harder than
 * W_input targets the matrix whose growth makes gradients explode.
 *
 * <pre>{@code
 * Regularizer reg = new Regularizer(1e-5, 0, false);
 * double penalty = reg.addGradients(model.parameters());   // add to the reported loss
 * }</pre>
 *
 * @param l2            the {@code l2} coefficient, &gt;= 0
 * @param l1            the {@code l1} coefficient, &gt;= 0
 * @param includeBiases whether {@link Parameter.Kind#BIAS} parameters are penalized too (by l1, and by l2
 *                      unless {@code l2Bias} is given)
 * @param l2Input       the {@code l2_input} coefficient, or NaN to use {@code l2}
 * @param l2Recurrent   the {@code l2_recurrent} coefficient, or NaN to use {@code l2}
 * @param l2Bias        the {@code l2_bias} coefficient, or NaN to follow {@code includeBiases}
 */
public record Regularizer(double l2, double l1, boolean includeBiases, double l2Input, double l2Recurrent,
                          double l2Bias) {

    public Regularizer {
        if (!(l2 >= 0 && Double.isFinite(l2))) {
            throw InputException.field("l2", "must be >= 0, got " + l2);
        }
        checkOptional("l2_input", l2Input);
        checkOptional("l2_recurrent", l2Recurrent);
        checkOptional("l2_bias", l2Bias);
        if (!(l1 >= 0 && Double.isFinite(l1))) {
            throw InputException.field("l1", "must be >= 0, got " + l1);
        }
    }

    /** One L2 coefficient for every kind of weight. */
    public Regularizer(double l2, double l1, boolean includeBiases) {
        this(l2, l1, includeBiases, Double.NaN, Double.NaN, Double.NaN);
    }

    private static void checkOptional(String field, double v) {
        if (!Double.isNaN(v) && !(v >= 0 && Double.isFinite(v))) {
            throw InputException.field(field, "must be >= 0, got " + v);
        }
    }

    /** The L2 coefficient applied to parameters of this kind. */
    public double l2For(Parameter.Kind kind) {
        return switch (kind) {
            case INPUT_WEIGHT -> Double.isNaN(l2Input) ? l2 : l2Input;
            case RECURRENT_WEIGHT -> Double.isNaN(l2Recurrent) ? l2 : l2Recurrent;
            case BIAS -> Double.isNaN(l2Bias) ? (includeBiases ? l2 : 0) : l2Bias;
            default -> l2;
        };
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
        return l2 > 0 || l1 > 0 || l2Input > 0 || l2Recurrent > 0 || l2Bias > 0;
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
        double penalty = 0;
        for (Parameter p : params) {
            boolean bias = p.kind() == Parameter.Kind.BIAS;
            double l2k = l2For(p.kind());
            double l1k = bias && !includeBiases ? 0 : l1;
            if (l2k == 0 && l1k == 0) {
                continue;
            }
            float l2f = (float) l2k;
            float l1f = (float) l1k;
            float[] w = p.value();
            float[] g = p.grad();
            double squares = 0;
            double absolutes = 0;
            for (int i = 0; i < w.length; i++) {
                g[i] += l2f * w[i] + l1f * Math.signum(w[i]);
                squares += (double) w[i] * w[i];
                absolutes += Math.abs(w[i]);
            }
            penalty += 0.5 * l2k * squares + l1k * absolutes;
        }
        return penalty;
    }
}
