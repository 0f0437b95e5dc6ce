package dev.ballast.lm;

import dev.ballast.engine.nn.CellType;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelConfigTest {

    @Test
    void messagesNameTheFieldAndRange() {
        assertEquals("hidden must be at least 1, got 0", message(() -> new ModelConfig(CellType.LSTM, 5, 4, 0, 1, 0f)));
        assertEquals("vocabSize must be at least 1, got -2", message(() -> new ModelConfig(CellType.LSTM, -2, 4, 3, 1, 0f)));
        assertEquals("embed must be at least 1, got 0", message(() -> new ModelConfig(CellType.LSTM, 5, 0, 3, 1, 0f)));
        assertEquals("layers must be at least 1, got 0", message(() -> new ModelConfig(CellType.LSTM, 5, 4, 3, 0, 0f)));
        assertEquals("dropout must be in [0, 1), got 1.0", message(() -> new ModelConfig(CellType.LSTM, 5, 4, 3, 1, 1f)));
        assertEquals("dropout must be in [0, 1), got NaN", message(() -> new ModelConfig(CellType.LSTM, 5, 4, 3, 1, Float.NaN)));
    }

    @Test
    void acceptsTheSmallestValidModel() {
        assertDoesNotThrow(() -> new ModelConfig(CellType.RNN_RELU, 1, 1, 1, 1, 0f));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
