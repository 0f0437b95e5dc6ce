package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {

    @Test
    void isIdentityWhenNotTrainingOrPZero() {
        float[] x = GradCheck.uniform(100, 1f, new Rng(1));
        float[] y = new float[100];
        new Dropout(0.5f).forward(x, 0, y, 0, 100, false, null);
        assertArrayEquals(x, y);
        new Dropout(0f).forward(x, 0, y, 0, 100, true, new Rng(2));
        assertArrayEquals(x, y);
    }

    @Test
    void dropsAboutHalfAndScalesSurvivorsByTwoAtPHalf() {
        int n = 10_000;
        float[] x = new float[n];
        Arrays.fill(x, 3f);
        float[] y = new float[n];
        new Dropout(0.5f).forward(x, 0, y, 0, n, true, new Rng(3));
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(6f, v);
            }
        }
        // Binomial(10000, 0.5): standard deviation 50, so 4500..5500 is ten deviations.
        assertTrue(zeros > 4500 && zeros < 5500, "zeros: " + zeros);
    }

    @Test
    void backwardAppliesTheSameMask() {
        Dropout d = new Dropout(0.3f);
        float[] x = new float[50];
        Arrays.fill(x, 1f);
        float[] y = new float[50];
        d.forward(x, 0, y, 0, 50, true, new Rng(4));
        float[] dx = new float[50];
        d.backward(x, 0, dx, 0, 50); // dY = 1 everywhere, so dX is the mask, which is y
        assertArrayEquals(y, dx);
    }

    @Test
    void sameSeedSameMask() {
        float[] x = GradCheck.uniform(64, 1f, new Rng(5));
        float[] a = new float[64], b = new float[64];
        new Dropout(0.4f).forward(x, 0, a, 0, 64, true, new Rng(6));
        new Dropout(0.4f).forward(x, 0, b, 0, 64, true, new Rng(6));
        assertArrayEquals(a, b);
    }

    @Test
    void rejectsPOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f));
    }
}
