package dev.ballast.forecast;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/** How a forecaster reaches H steps ahead; JSON holds the id. */
public enum Strategy implements Choice {
    /** One step ahead, trained at every step of the window, rolled forward on its own predictions. */
    RECURSIVE("recursive"),
    /** One multi-output head that emits all H future values at once from the window's last state. */
    DIRECT("direct");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code strategy}, listing the choices */
    @JsonCreator
    public static Strategy parse(String text) {
        return Choice.parse(Strategy.class, "strategy", text);
    }
}
