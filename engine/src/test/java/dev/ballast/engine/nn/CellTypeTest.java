package dev.ballast.engine.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellType.parse("gru"));
        assertTrue(e.getMessage().contains("lstm, rnn-tanh, rnn-relu"), e.getMessage());
        assertTrue(e.getMessage().contains("gru"), e.getMessage());
    }

    @Test
    void gatesAreFourForLstmAndOneForRnn() {
        assertEquals(4, CellType.LSTM.gates());
        assertEquals(1, CellType.RNN_TANH.gates());
        assertEquals(1, CellType.RNN_RELU.gates());
    }
}
