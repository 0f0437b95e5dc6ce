package dev.ballast.engine.nn;

import dev.ballast.engine.InputException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CellTypeTest {

    @Test
    void parsesIdsAndTheRnnAlias() {
        assertEquals(CellType.LSTM, CellType.parse("lstm"));
        assertEquals(CellType.RNN_TANH, CellType.parse("rnn-tanh"));
        assertEquals(CellType.RNN_RELU, CellType.parse("rnn-relu"));
        assertEquals(CellType.RNN_TANH, CellType.parse("rnn"));
        for (CellType c : CellType.values()) {
            assertEquals(c, CellType.parse(c.id()));
        }
    }

    @Test
    void unknownCellNamesTheChoices() {
        InputException e = assertThrows(InputException.class, () -> CellType.parse("gru"));
        assertEquals("cell must be one of lstm, rnn-tanh, rnn-relu, got 'gru'", e.getMessage());
        assertEquals("cell", e.field());
    }

    @Test
    void gatesAreFourForLstmAndOneForRnn() {
        assertEquals(4, CellType.LSTM.gates());
        assertEquals(1, CellType.RNN_TANH.gates());
        assertEquals(1, CellType.RNN_RELU.gates());
    }
}
