package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WindowsTest {

    // 10 positions, F = 2: row t = [t, 100 + t]; s_t = t / 10
    private static final float[] ROWS = new float[20];
    private static final float[] S = new float[10];

    static {
        for (int t = 0; t < 10; t++) {
            ROWS[2 * t] = t;
            ROWS[2 * t + 1] = 100 + t;
            S[t] = t / 10f;
        }
    }

    @Test
    void recursiveWindowsAskForTheNextValueAtEveryStepTimeMajor() {
        Windows w = new Windows(ROWS, S, 2, 1, 8, 3, 5, Strategy.RECURSIVE);
        // starts 1 .. 8 - 3 - 1 = 4
        assertEquals(4, w.count());
        float[] x = new float[3 * 2 * 2];
        float[] y = new float[3 * 2];
        w.fill(new int[] {1, 4}, 2, x, y);
        // step t, stream b at (t*B + b)*F
        assertArrayEquals(new float[] {1, 101, 4, 104, 2, 102, 5, 105, 3, 103, 6, 106}, x);
        assertArrayEquals(new float[] {0.2f, 0.5f, 0.3f, 0.6f, 0.4f, 0.7f}, y);
    }

    @Test
    void directWindowsAskForTheNextHValuesAfterTheWindow() {
        Windows w = new Windows(ROWS, S, 2, 0, 10, 3, 2, Strategy.DIRECT);
        // starts 0 .. 10 - 3 - 2 = 5
        assertEquals(6, w.count());
        float[] x = new float[3 * 1 * 2];
        float[] y = new float[2];
        w.fill(new int[] {5}, 1, x, y);
        assertArrayEquals(new float[] {5, 105, 6, 106, 7, 107}, x);
        assertArrayEquals(new float[] {0.8f, 0.9f}, y);
    }

    @Test
    void splitHoldsOutTheHorizonAndAValidationPartBeforeIt() {
        HoldoutSplit s = HoldoutSplit.of(100, 10, null, 5);
        assertEquals(10, s.validation()); // min(H, n/5) = min(10, 20)
        assertEquals(80, s.trainEnd());
        assertEquals(90, s.validEnd());
        assertArrayEquals(new int[] {80, 85}, s.validationOrigins(2));
        assertEquals("the series has 30 points: holding out horizon 12 and 6 validation points leaves 12 to train on,"
                        + " but the windows need at least 40 (lower lookback or horizon)",
                org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
                        () -> HoldoutSplit.of(30, 12, null, 40)).getMessage());
    }
}
