package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a forecaster reaches H steps ahead; JSON holds the id. */
public enum Strategy {
    /** One step ahead, trained at every step of the window, rolled forward on its own predictions. */
    RECURSIVE("recursive"),
    /** One multi-output head that emits all H future values at once from the window's last state. */
    DIRECT("direct");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Strategy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Strategy s : values()) {
            if (s.id.equals(t)) {
                return s;
            }
        }
        throw InputException.field("strategy", "must be recursive or direct, got '" + text + "'");
    }
}
