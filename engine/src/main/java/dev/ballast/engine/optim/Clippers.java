package dev.ballast.engine.optim;

import java.util.List;

/**
 * Creates a clipper from the {@code --clip} mode and its thresholds: {@code global-norm},
 * {@code layer-norm} and {@code tensor-norm} use {@code --clip-norm}, {@code value} uses
 * {@code --clip-value}, {@code auto} uses {@code --clip-percentile}, {@code agc} uses
 * {@code --clip-ratio}, {@code none} uses none. The threshold a mode needs must be valid; the others are ignored.
 *
 * <pre>{@code
 * GradientClipper c = Clippers.create("global-norm", 5.0, 0.0);
 * }</pre>
 */
public final class Clippers {

    /** Accepted modes, in the order error messages list them. */
    public static final List<String> MODES = List.of("global-norm", "layer-norm", "tensor-norm", "value", "auto", "agc",
            "none");

    /** AutoClip's recommended percentile (Seetharaman et al. 2020). */
    public static final double DEFAULT_PERCENTILE = 10;
    /** AGC's clipping ratio lambda; the paper's range is 0.01 (large batches) to 0.16 (small). */
    public static final double DEFAULT_RATIO = 0.1;

    private Clippers() {
    }

    public static GradientClipper create(String mode, double clipNorm, double clipValue) {
        return create(mode, clipNorm, clipValue, DEFAULT_PERCENTILE, DEFAULT_RATIO);
    }

    /**
     * @param percentile for {@code auto}: the percentile of recent gradient norms used as threshold
     * @param ratio      for {@code agc}: the largest gradient-to-weight norm ratio per unit
     */
    public static GradientClipper create(String mode, double clipNorm, double clipValue, double percentile,
                                         double ratio) {
        return switch (String.valueOf(mode)) {
            case "global-norm" -> new GlobalNormClipper(clipNorm);
            case "layer-norm" -> new LayerNormClipper(clipNorm);
            case "auto" -> new AutoClipper(percentile, AutoClipper.DEFAULT_WINDOW);
            case "agc" -> new AgcClipper(ratio);
            case "tensor-norm" -> new TensorNormClipper(clipNorm);
            case "value" -> new ValueClipper(clipValue);
            case "none" -> new NoClipper();
            default -> throw new IllegalArgumentException(
                    "unknown clipping mode '" + mode + "' (choose " + String.join(", ", MODES) + ")");
        };
    }
}
