package dev.ballast.engine.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/** How gradients are clipped ({@code clip}); {@link Clippers#create} makes the clipper. */
public enum ClipMode implements Choice {
    /** Scale all gradients together so their global L2 norm is at most {@code clip_norm} (Pascanu et al. 2013). */
    GLOBAL_NORM("global-norm"),
    /** The same per layer. */
    LAYER_NORM("layer-norm"),
    /** The same per tensor. */
    TENSOR_NORM("tensor-norm"),
    /** Clamp each element to ±{@code clip_value}. */
    VALUE("value"),
    /** AutoClip: a percentile ({@code clip_percentile}) of recent gradient norms as the threshold. */
    AUTO("auto"),
    /** Adaptive gradient clipping, unit-wise relative to the weights ({@code clip_ratio}). */
    AGC("agc"),
    /** No clipping. */
    NONE("none");

    private final String id;

    ClipMode(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code clip}, listing the choices */
    @JsonCreator
    public static ClipMode parse(String text) {
        return Choice.parse(ClipMode.class, "clip", text);
    }
}
