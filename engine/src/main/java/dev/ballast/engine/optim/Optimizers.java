package dev.ballast.engine.optim;

/**
 * Creates an optimizer of an {@link OptimizerKind} ({@code sgd}, {@code adam}, {@code adamw},
 * {@code rmsprop}, {@code adagrad}).
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.create(OptimizerKind.ADAMW, OptimizerSettings.builder().weightDecay(0.05).build());
 * }</pre>
 */
public final class Optimizers {

    private Optimizers() {
    }

    public static Optimizer create(OptimizerKind kind, OptimizerSettings settings) {
        if (kind == null || settings == null) {
            throw new IllegalArgumentException("optimizer kind and settings must not be null");
        }
        return switch (kind) {
            case SGD -> new Sgd(settings);
            case ADAM -> new Adam(settings);
            case ADAMW -> new AdamW(settings);
            case RMSPROP -> new RmsProp(settings);
            case ADAGRAD -> new Adagrad(settings);
        };
    }
}
