package dev.ballast.engine.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecurrentStateTest {

    private static final int LAYERS = 2, HIDDEN = 3;

    @Test
    void startsAtZeroWithOneRowPerStream() {
        RecurrentState s = new RecurrentState(LAYERS, 4, HIDDEN, CellType.LSTM);
        assertEquals(4, s.batch());
        assertEquals(2, s.layers());
        assertArrayEquals(new float[12], s.h(1));
        assertNotNull(s.c(0));
        assertNull(new RecurrentState(2, 4, 3, CellType.RNN_TANH).c(1));
    }

    @Test
    void copyIsIndependentAndCopyFromRestores() {
        RecurrentState s = new RecurrentState(LAYERS, 2, HIDDEN, CellType.LSTM);
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
        RecurrentState s = new RecurrentState(LAYERS, 2, HIDDEN, CellType.LSTM);
        assertThrows(IllegalArgumentException.class, () -> s.copyFrom(new RecurrentState(LAYERS, 3, HIDDEN, CellType.LSTM)));
    }

    @Test
    void vanillaRnnCarriesNoCellState() {
        assertNull(new RecurrentState(1, 2, 6, CellType.RNN_RELU).c(0));
    }
}
