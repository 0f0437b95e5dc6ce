package dev.ballast.engine.optim;

import java.util.List;

/**
 * Creates an optimizer from its short name (the {@code --optimizer} flag): {@code sgd}, {@code adam},
 * {@code adamw}, {@code rmsprop}, {@code adagrad}.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.create("adamw", OptimizerSettings.builder().weightDecay(0.05).build());
 * }</pre>
 */
public final class Optimizers {

    /** Accepted names, in the order error messages list them. */
    public static final List<String> NAMES = List.of("sgd", "adam", "adamw", "rmsprop", "adagrad");

    private Optimizers() {
    }

    public static Optimizer create(String name, OptimizerSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("optimizer settings must not be null");
        }
        return switch (String.valueOf(name)) {
            case "sgd" -> new Sgd(settings);
            case "adam" -> new Adam(settings);
            case "adamw" -> new AdamW(settings);
            case "rmsprop" -> new RmsProp(settings);
            case "adagrad" -> new Adagrad(settings);
            default -> throw new IllegalArgumentException(
                    "unknown optimizer '" + name + "' (choose " + String.join(", ", NAMES) + ")");
        };
    }
}
