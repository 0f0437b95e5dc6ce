package dev.ballast.lm;

import dev.ballast.engine.nn.CellType;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecurrentStateTest {

    private static final ModelConfig LSTM = new ModelConfig(CellType.LSTM, 5, 4, 3, 2, 0f);

    @Test
    void startsAtZeroWithOneRowPerStream() {
        RecurrentState s = new RecurrentState(LSTM, 4);
        assertEquals(4, s.batch());
        assertEquals(2, s.layers());
        assertArrayEquals(new float[12], s.h(1));
        assertNotNull(s.c(0));
        assertNull(new RecurrentState(new ModelConfig(CellType.RNN_TANH, 5, 4, 3, 2, 0f), 4).c(1));
    }

    @Test
    void copyIsIndependentAndCopyFromRestores() {
        RecurrentState s = new RecurrentState(LSTM, 2);
        s.h(1)[3] = 0.5f;
        s.c(0)[0] = -1f;
        RecurrentState saved = s.copy();
        s.h(1)[3] = 9f;
        assertEquals(0.5f, saved.h(1)[3]);
        s.copyFrom(saved);
        assertEquals(0.5f, s.h(1)[3]);
        assertEquals(-1f, s.c(0)[0]);
        s.zero();
        assertEquals(0f, s.h(1)[3]);
        assertEquals(0f, s.c(0)[0]);
    }

    @Test
    void copyFromRejectsAnotherShape() {
        RecurrentState s = new RecurrentState(LSTM, 2);
        assertThrows(IllegalArgumentException.class, () -> s.copyFrom(new RecurrentState(LSTM, 3)));
    }

    @Test
    void vanillaRnnCarriesNoCellState() {
        assertNull(new RecurrentState(new ModelConfig(CellType.RNN_RELU, 3, 2, 6, 1, 0f), 2).c(0));
    }
}
