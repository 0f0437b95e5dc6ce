package dev.ballast.engine.optim;

import dev.ballast.engine.InputException;

import java.util.OptionalDouble;

/**
 * Hyper-parameters shared by all optimizers, as one immutable object validated in one place
 * ({@link Builder#build()}); every message names the CLI flag that sets the field.
 *
 * <p>Defaults follow PyTorch: momentum 0, betas 0.9/0.999, eps 1e-8, RMSProp alpha 0.99. Weight decay
 * and eps may be left unset ({@link OptionalDouble#empty()} from their getters) so an optimizer can apply its own default
 * (AdamW decays by 0.01, Adagrad uses eps 1e-10).
 *
 * <pre>{@code
 * OptimizerSettings s = OptimizerSettings.builder().momentum(0.9).nesterov(true).weightDecay(1e-4).build();
 * Optimizer sgd = Optimizers.create(OptimizerKind.SGD, s);
 * }</pre>
 */
public final class OptimizerSettings {

    /** Default eps of Adam, AdamW and RMSProp (PyTorch). */
    public static final double DEFAULT_EPS = 1e-8;

    private final double momentum;
    private final boolean nesterov;
    private final double beta1;
    private final double beta2;
    private final Double eps;          // null = not given
    private final double rmsAlpha;
    private final Double weightDecay;  // null = not given

    private OptimizerSettings(Builder b) {
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.rmsAlpha = b.rmsAlpha;
        this.weightDecay = b.weightDecay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults; weight decay and eps unset. */
    public static OptimizerSettings defaults() {
        return builder().build();
    }

    /** Momentum coefficient of SGD and RMSProp, in [0, 1). */
    public double momentum() {
        return momentum;
    }

    /** Nesterov momentum for SGD (Sutskever et al. 2013, in PyTorch's formulation). */
    public boolean nesterov() {
        return nesterov;
    }

    /** Adam's first-moment decay, in [0, 1). */
    public double beta1() {
        return beta1;
    }

    /** Adam's second-moment decay, in [0, 1). */
    public double beta2() {
        return beta2;
    }

    /** The denominator's eps if the user gave one. */
    public OptionalDouble eps() {
        return eps == null ? OptionalDouble.empty() : OptionalDouble.of(eps);
    }

    /** The eps to use: the one given, else {@code fallback}. */
    public double epsOr(double fallback) {
        return eps == null ? fallback : eps;
    }

    /** RMSProp's squared-gradient decay, in [0, 1). */
    public double rmsAlpha() {
        return rmsAlpha;
    }

    /** Decoupled weight decay if the user gave one (0 means explicitly off). */
    public OptionalDouble weightDecay() {
        return weightDecay == null ? OptionalDouble.empty() : OptionalDouble.of(weightDecay);
    }

    /** The weight decay to use: the one given, else {@code fallback}. */
    public double weightDecayOr(double fallback) {
        return weightDecay == null ? fallback : weightDecay;
    }

    @Override
    public String toString() {
        return "momentum=" + momentum + ", nesterov=" + nesterov + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", eps=" + (eps == null ? "default" : eps) + ", rmsAlpha=" + rmsAlpha
                + ", weightDecay=" + (weightDecay == null ? "default" : weightDecay);
    }

    /** Mutable builder; {@link #build()} validates every field. */
    public static final class Builder {
        private double momentum = 0;
        private boolean nesterov = false;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private Double eps;
        private double rmsAlpha = 0.99;
        private Double weightDecay;

        private Builder() {
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        public Builder beta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder beta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder rmsAlpha(double rmsAlpha) {
            this.rmsAlpha = rmsAlpha;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Validates and freezes the settings. */
        public OptimizerSettings build() {
            requireUnitInterval("momentum", momentum);
            requireUnitInterval("beta1", beta1);
            requireUnitInterval("beta2", beta2);
            requireUnitInterval("rms_alpha", rmsAlpha);
            if (nesterov && momentum <= 0) {
                throw InputException.field("nesterov", "requires {momentum} > 0, got " + momentum);
            }
            if (eps != null && !(eps > 0 && Double.isFinite(eps))) {
                throw InputException.field("eps", "must be > 0, got " + eps);
            }
            if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
                throw InputException.field("weight_decay", "must be >= 0, got " + weightDecay);
            }
            return new OptimizerSettings(this);
        }

        private static void requireUnitInterval(String field, double value) {
            if (!(value >= 0 && value < 1)) {
                throw InputException.field(field, "must be in [0, 1), got " + value);
            }
        }
    }
}
