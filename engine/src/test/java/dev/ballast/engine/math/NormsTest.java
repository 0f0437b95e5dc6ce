package dev.ballast.engine.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Test;

class NormsTest {

    @Test
    void sumOfSquaresIsExactOnSmallIntegersWithATail() {
        float[] x = {1, -2, 3, -4, 5, -6, 7, -8, 9, 10, 11}; // 8 in the unrolled loop, 3 in the tail
        assertEquals(1 + 4 + 9 + 16 + 25 + 36 + 49 + 64 + 81 + 100 + 121, Norms.sumOfSquares(x));
        assertEquals(9 + 16 + 25, Norms.sumOfSquares(x, 2, 3));
        assertEquals(0, Norms.sumOfSquares(new float[0]));
    }

    @Test
    void sumOfSquaresAgreesWithASequentialSumAndPropagatesNonFinite() {
        Rng rng = new Rng(3);
        float[] x = new float[100_003];
        double sequential = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
            sequential += (double) x[i] * x[i];
        }
        assertEquals(sequential, Norms.sumOfSquares(x), sequential * 1e-12);
        x[50_001] = Float.NaN;
        assertTrue(Double.isNaN(Norms.sumOfSquares(x)));
        x[50_001] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, Norms.sumOfSquares(x));
    }

    @Test
    void sumOfSquaresAndDeltaGivesWeightAndUpdateNorms() {
        float[] w = {3, 4, 0, 1, 2};
        float[] prev = {3, 2, 1, 1, 0};
        double[] out = new double[2];
        Norms.sumOfSquaresAndDelta(w, prev, out);
        assertEquals(9 + 16 + 0 + 1 + 4, out[0]);
        assertEquals(0 + 4 + 1 + 0 + 4, out[1]);
        assertThrows(IllegalArgumentException.class, () -> Norms.sumOfSquaresAndDelta(w, new float[4], out));
    }
}
