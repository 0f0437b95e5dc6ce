package dev.ballast.lm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/**
 * The words a word-level vocabulary is built from ({@code vocab_scope}): the training split, or the whole
 * corpus as some reference scripts do (for comparisons only: the validation words are then never unknown).
 */
public enum VocabScope implements Choice {
    TRAIN("train"),
    CORPUS("corpus");

    private final String id;

    VocabScope(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code vocab_scope}, listing the choices */
    @JsonCreator
    public static VocabScope parse(String text) {
        return Choice.parse(VocabScope.class, "vocab_scope", text);
    }
}
