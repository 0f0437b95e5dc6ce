package dev.ballast.lm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/** What a token is ({@code level}): a character, or a word from a Lucene analyzer. */
public enum TokenLevel implements Choice {
    CHAR("char"),
    WORD("word");

    private final String id;

    TokenLevel(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code level}, listing the choices */
    @JsonCreator
    public static TokenLevel parse(String text) {
        return Choice.parse(TokenLevel.class, "level", text);
    }
}
