package dev.ballast.forecast;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/** How the series is scaled before it reaches the network ({@code scale}); see {@link Scaler}. */
public enum ScaleKind implements Choice {
    STANDARD("standard"),
    MINMAX("minmax"),
    MEAN("mean");

    private final String id;

    ScaleKind(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code scale}, listing the choices */
    @JsonCreator
    public static ScaleKind parse(String text) {
        return Choice.parse(ScaleKind.class, "scale", text);
    }
}
