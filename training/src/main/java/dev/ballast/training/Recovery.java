package dev.ballast.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/**
 * Whether the stability guard recovers from a NaN or a loss spike (skips the update, or rolls back and
 * retries with a lower rate) instead of failing the run: {@code recovery on} or {@code off}.
 */
public enum Recovery implements Choice {
    ON("on"),
    OFF("off");

    private final String id;

    Recovery(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    public boolean on() {
        return this == ON;
    }

    /** @throws dev.ballast.engine.InputException about {@code recovery}: it must be on or off */
    @JsonCreator
    public static Recovery parse(String text) {
        return Choice.parse(Recovery.class, "recovery", text);
    }
}
