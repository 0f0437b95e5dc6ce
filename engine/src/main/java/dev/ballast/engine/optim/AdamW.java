package dev.ballast.engine.optim;

/**
 * AdamW (Loshchilov &amp; Hutter 2019): {@link Adam} with decoupled weight decay, which defaults to 0.01 (as
 * in {@code torch.optim.AdamW}) when the settings give none. The decay itself is applied by the shared
 * loop in {@link Optimizer}.
 */
public final class AdamW extends Adam {

    /** {@code torch.optim.AdamW}'s default weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    public AdamW(OptimizerSettings settings) {
        super("adamw", settings, DEFAULT_WEIGHT_DECAY);
    }
}
