package dev.ballast.engine.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ballast.engine.Choice;

import java.util.Locale;

/**
 * The recurrent cell of a recurrent model: an LSTM or a vanilla (Elman) RNN with a tanh or ReLU
 * activation. The id ({@code lstm}, {@code rnn-tanh}, {@code rnn-relu}) is what configs, flags and
 * checkpoints spell, and what JSON holds.
 */
public enum CellType implements Choice {
    /** Long short-term memory, four gates (i, f, g, o) per hidden unit. */
    LSTM("lstm", 4),
    /** {@code h_t = tanh(x_t W_input + h_{t-1} W_recurrent + b)}. */
    RNN_TANH("rnn-tanh", 1),
    /** {@code h_t = relu(x_t W_input + h_{t-1} W_recurrent + b)}. */
    RNN_RELU("rnn-relu", 1);

    private final String id;
    private final int gates;

    CellType(String id, int gates) {
        this.id = id;
        this.gates = gates;
    }

    /** The lowercase name used in configs and checkpoints, e.g. {@code rnn-tanh}. */
    @JsonValue
    @Override
    public String id() {
        return id;
    }

    /** How many H-wide column blocks the cell's weight matrices have: 4 for LSTM, 1 for an RNN. */
    public int gates() {
        return gates;
    }

    /**
     * Parses an id, case-insensitively; {@code rnn} is accepted as {@code rnn-tanh} (PyTorch's default
     * nonlinearity).
     *
     * @throws dev.ballast.engine.InputException about {@code cell}, naming the choices, when {@code text} is
     *                                           not one of them
     */
    @JsonCreator
    public static CellType parse(String text) {
        if (text != null && text.trim().toLowerCase(Locale.ROOT).equals("rnn")) {
            return RNN_TANH;
        }
        return Choice.parse(CellType.class, "cell", text);
    }
}
