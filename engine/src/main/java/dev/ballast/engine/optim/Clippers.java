package dev.ballast.engine.optim;

/**
 * Creates a clipper from a {@link ClipMode} and its thresholds: {@code global-norm},
 * {@code layer-norm} and {@code tensor-norm} use {@code clip_norm}, {@code value} uses
 * {@code clip_value}, {@code auto} uses {@code clip_percentile}, {@code agc} uses
 * {@code clip_ratio}, {@code none} uses none. The threshold a mode needs must be valid (an
 * {@link dev.ballast.engine.InputException} naming it otherwise); the others are ignored.
 *
 * <pre>{@code
 * GradientClipper c = Clippers.create(ClipMode.GLOBAL_NORM, 5.0, 0.0);
 * }</pre>
 */
public final class Clippers {

    /** AutoClip's recommended percentile (Seetharaman et al. 2020). */
    public static final double DEFAULT_PERCENTILE = 10;
    /** AGC's clipping ratio lambda; the paper's range is 0.01 (large batches) to 0.16 (small). */
    public static final double DEFAULT_RATIO = 0.1;

    private Clippers() {
    }

    public static GradientClipper create(ClipMode mode, double clipNorm, double clipValue) {
        return create(mode, clipNorm, clipValue, DEFAULT_PERCENTILE, DEFAULT_RATIO);
    }

    /**
     * @param percentile for {@code auto}: the percentile of recent gradient norms used as threshold
     * @param ratio      for {@code agc}: the largest gradient-to-weight norm ratio per unit
     */
    public static GradientClipper create(ClipMode mode, double clipNorm, double clipValue, double percentile,
                                         double ratio) {
        if (mode == null) {
            throw new IllegalArgumentException("clipping mode must not be null");
        }
        return switch (mode) {
            case GLOBAL_NORM -> new GlobalNormClipper(clipNorm);
            case LAYER_NORM -> new LayerNormClipper(clipNorm);
            case AUTO -> new AutoClipper(percentile, AutoClipper.DEFAULT_WINDOW);
            case AGC -> new AgcClipper(ratio);
            case TENSOR_NORM -> new TensorNormClipper(clipNorm);
            case VALUE -> new ValueClipper(clipValue);
            case NONE -> new NoClipper();
        };
    }
}
