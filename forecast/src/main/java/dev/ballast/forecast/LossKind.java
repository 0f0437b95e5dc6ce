package dev.ballast.forecast;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/** The point-forecast loss ({@code loss}); {@link RegressionLoss#create} makes it. */
public enum LossKind implements Choice {
    MSE("mse"),
    MAE("mae"),
    HUBER("huber");

    private final String id;

    LossKind(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code loss}, listing the choices */
    @JsonCreator
    public static LossKind parse(String text) {
        return Choice.parse(LossKind.class, "loss", text);
    }
}
