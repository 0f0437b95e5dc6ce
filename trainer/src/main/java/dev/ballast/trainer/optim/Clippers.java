package dev.ballast.trainer.optim;

import java.util.List;

/**
 * Creates a clipper from the {@code --clip} mode and its thresholds: {@code global-norm} and
 * {@code tensor-norm} use {@code --clip-norm}, {@code value} uses {@code --clip-value}, {@code none}
 * uses neither. The threshold a mode needs must be &gt; 0; the other one is ignored.
 *
 * <pre>{@code
 * GradientClipper c = Clippers.create("global-norm", 5.0, 0.0);
 * }</pre>
 */
public final class Clippers {

    /** Accepted modes, in the order error messages list them. */
    public static final List<String> MODES = List.of("global-norm", "tensor-norm", "value", "none");

    private Clippers() {
    }

    public static GradientClipper create(String mode, double clipNorm, double clipValue) {
        return switch (String.valueOf(mode)) {
            case "global-norm" -> new GlobalNormClipper(clipNorm);
            case "tensor-norm" -> new TensorNormClipper(clipNorm);
            case "value" -> new ValueClipper(clipValue);
            case "none" -> new NoClipper();
            default -> throw new IllegalArgumentException(
                    "unknown clipping mode '" + mode + "' (choose " + String.join(", ", MODES) + ")");
        };
    }
}
