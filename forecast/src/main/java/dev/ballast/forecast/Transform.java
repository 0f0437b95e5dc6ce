package dev.ballast.forecast;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/**
 * What is applied to the series before differencing and scaling ({@code transform}): nothing, or the natural
 * log (for positive series whose seasonal swing grows with their level).
 */
public enum Transform implements Choice {
    NONE("none"),
    LOG("log");

    private final String id;

    Transform(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code transform}, listing the choices */
    @JsonCreator
    public static Transform parse(String text) {
        return Choice.parse(Transform.class, "transform", text);
    }
}
