package dev.ballast.engine.vector;

import dev.ballast.engine.Rng;
import dev.ballast.engine.nn.GradCheck;
import dev.ballast.engine.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The softmax cross-entropy on the vector kernels against the scalar reference. */
class SoftmaxParityTest {

    @Test
    void fastKernelsGiveTheSameLossAndGradientOnAnyThreadCount() {
        Rng rng = new Rng(9);
        int n = 13, v = 1003;
        float[] logits = GradCheck.uniform(n * v, 8f, rng);
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            y[r] = (r * 389) % v;
        }
        SoftmaxCrossEntropy reference = new SoftmaxCrossEntropy();
        float expected = reference.forward(logits, y, n, v);
        float[] expectedGrad = reference.gradient().clone();
        SoftmaxCrossEntropy one = new SoftmaxCrossEntropy(new VectorKernels(1));
        SoftmaxCrossEntropy two = new SoftmaxCrossEntropy(new VectorKernels(2));
        float lossOne = one.forward(logits, y, n, v);
        assertEquals(expected, lossOne, 1e-5f);
        assertEquals(lossOne, two.forward(logits, y, n, v)); // bit for bit
        assertArrayEquals(one.gradient(), two.gradient());
        for (int i = 0; i < n * v; i++) {
            assertEquals(expectedGrad[i], one.gradient()[i], 1e-6f, "gradient at " + i);
        }
    }
}
