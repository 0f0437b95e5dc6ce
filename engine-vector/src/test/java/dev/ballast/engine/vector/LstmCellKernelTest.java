package dev.ballast.engine.vector;

import dev.ballast.engine.math.LstmCell;
import dev.ballast.engine.math.ScalarKernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ballast.engine.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The LSTM element-wise kernels: the scalar reference against values worked out by hand, and the
 * vector kernels (fused backward) against the reference loop run with the same vector activations,
 * bit for bit, with hidden sizes that leave a masked tail and offsets that are not zero.
 */
class LstmCellKernelTest {

    private static final VectorKernels FAST = new VectorKernels(1);
    /** Splits the rows between two threads from 2,048 units (13 rows x 200 or 256 here). */
    private static final VectorKernels TWO = new VectorKernels(2);

    @Test
    void referenceForwardAndBackwardMatchTheFormulas() {
        // One row, H = 1: pre-activations a_i = 0 (i = 0.5), a_f = 0 (f = 0.5), a_g = 0 (g = 0), a_o = 0 (o = 0.5).
        float[] gates = {0f, 0f, 0f, 0f};
        float[] cPrev = {2f};
        float[] c = new float[1];
        float[] tanhC = new float[1];
        float[] h = new float[1];
        ScalarKernels.INSTANCE.lstmForward(1, 1, gates, 0, cPrev, 0, c, 0, tanhC, 0, h, 0);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f, 0.5f}, gates);
        assertEquals(1f, c[0]);                                   // 0.5 * 2 + 0.5 * 0
        assertEquals((float) Math.tanh(1), tanhC[0], 1e-7f);
        assertEquals(0.5f * (float) Math.tanh(1), h[0], 1e-7f);

        float[] dh = {1f};
        float[] dcNext = {0.25f};
        float[] dGates = new float[4];
        ScalarKernels.INSTANCE.lstmBackward(1, 1, gates, 0, cPrev, 0, tanhC, 0, dh, 0, dcNext, 0, dGates, 0);
        float tc = tanhC[0];
        float dc = 0.25f + 1f * 0.5f * (1f - tc * tc);
        assertEquals(dc * 0f * 0.5f * 0.5f, dGates[0]);           // da_i = dc * g * i(1-i)
        assertEquals(dc * 2f * 0.5f * 0.5f, dGates[1]);           // da_f = dc * c_prev * f(1-f)
        assertEquals(dc * 0.5f * 1f, dGates[2]);                  // da_g = dc * i * (1 - g^2)
        assertEquals(1f * tc * 0.5f * 0.5f, dGates[3]);           // da_o = dh * tanh(c) * o(1-o)
        assertEquals(dc * 0.5f, dcNext[0]);                       // dc * f flows to t-1
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 33, 200, 256})
    void vectorKernelsGiveTheSameBitsAsTheReferenceLoop(int hidden) {
        for (VectorKernels fast : new VectorKernels[] {FAST, TWO}) {
            sameBits(fast, hidden);
        }
    }

    private static void sameBits(VectorKernels fast, int hidden) {
        int rows = 13;
        int gOff = 3;
        int sOff = 2;
        Rng rng = new Rng(hidden);
        float[] pre = gaussian(rng, gOff + rows * 4 * hidden, 4);
        float[] cPrev = gaussian(rng, sOff + rows * hidden, 2);
        float[] dh = gaussian(rng, sOff + rows * hidden, 1);
        float[] dcNext = gaussian(rng, sOff + rows * hidden, 1);

        float[] gatesA = pre.clone();
        float[] gatesB = pre.clone();
        int n = sOff + rows * hidden;
        float[] cA = new float[n], cB = new float[n];
        float[] tA = new float[n], tB = new float[n];
        float[] hA = new float[n], hB = new float[n];
        LstmCell.forward(FAST, rows, hidden, gatesA, gOff, cPrev, sOff, cA, sOff, tA, sOff, hA, sOff);
        fast.lstmForward(rows, hidden, gatesB, gOff, cPrev, sOff, cB, sOff, tB, sOff, hB, sOff);
        assertArrayEquals(gatesA, gatesB);
        assertArrayEquals(cA, cB);
        assertArrayEquals(tA, tB);
        assertArrayEquals(hA, hB);

        float[] dcA = dcNext.clone(), dcB = dcNext.clone();
        float[] dgA = new float[gatesA.length], dgB = new float[gatesA.length];
        LstmCell.backward(rows, hidden, gatesA, gOff, cPrev, sOff, tA, sOff, dh, sOff, dcA, sOff, dgA, gOff);
        fast.lstmBackward(rows, hidden, gatesB, gOff, cPrev, sOff, tB, sOff, dh, sOff, dcB, sOff, dgB, gOff);
        assertArrayEquals(dgA, dgB);
        assertArrayEquals(dcA, dcB);
    }

    private static float[] gaussian(Rng rng, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextGaussian() * scale);
        }
        return x;
    }
}
