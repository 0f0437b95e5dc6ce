package dev.ballast.engine.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/** Which optimizer updates the weights ({@code optimizer}); {@link Optimizers#create} makes it. */
public enum OptimizerKind implements Choice {
    SGD("sgd"),
    ADAM("adam"),
    ADAMW("adamw"),
    RMSPROP("rmsprop"),
    ADAGRAD("adagrad");

    private final String id;

    OptimizerKind(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code optimizer}, listing the choices */
    @JsonCreator
    public static OptimizerKind parse(String text) {
        return Choice.parse(OptimizerKind.class, "optimizer", text);
    }
}
