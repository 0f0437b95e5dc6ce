package dev.ballast.engine.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

/** How the recurrent weights start ({@code init}); see {@link Initialization}. */
public enum InitScheme implements Choice {
    /** Weights and biases U(-1/√H, 1/√H), like PyTorch's nn.LSTM / nn.RNN. */
    UNIFORM("uniform"),
    /** Each H×H gate block of W_recurrent orthogonal (Saxe et al. 2014), biases 0. */
    ORTHOGONAL("orthogonal"),
    /** Each gate block the identity, biases 0: the IRNN of Le, Jaitly and Hinton 2015. */
    IDENTITY("identity");

    private final String id;

    InitScheme(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** @throws dev.ballast.engine.InputException about {@code init}, listing the choices */
    @JsonCreator
    public static InitScheme parse(String text) {
        return Choice.parse(InitScheme.class, "init", text);
    }
}
