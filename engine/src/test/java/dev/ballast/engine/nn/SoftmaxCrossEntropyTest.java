package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxCrossEntropyTest {

    @Test
    void uniformLogitsGiveLogV() {
        float[] logits = new float[2 * 5];
        float loss = new SoftmaxCrossEntropy().forward(logits, new int[]{0, 4}, 2, 5);
        assertEquals(Math.log(5), loss, 1e-6);
    }

    @Test
    void hugeLogitsDoNotOverflow() {
        // Row [1000, 0]: loss for target 1 is log(e^1000 + 1) - 0 = 1000 (to float precision); target 0 gives ~0.
        float[] logits = {1000f, 0f, 1000f, 0f};
        double sum = SoftmaxCrossEntropy.lossSum(logits, new int[]{1, 0}, 2, 2);
        assertEquals(1000.0, sum, 1e-3);
        float mean = new SoftmaxCrossEntropy().forward(logits, new int[]{1, 0}, 2, 2);
        assertTrue(Float.isFinite(mean));
        assertEquals(500f, mean, 1e-3f);
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverN() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        float[] logits = {0f, (float) Math.log(3)}; // softmax = [1/4, 3/4]
        ce.forward(logits, new int[]{0}, 1, 2);
        float[] d = ce.gradient();
        assertEquals(0.25f - 1f, d[0], 1e-6f);
        assertEquals(0.75f, d[1], 1e-6f);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Rng rng = new Rng(4);
        int n = 5, v = 7;
        float[] logits = GradCheck.uniform(n * v, 3f, rng);
        int[] y = {0, 6, 3, 3, 1};
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        float mean = ce.forward(logits, y, n, v);
        assertEquals(SoftmaxCrossEntropy.lossSum(logits, y, n, v) / n, mean, 1e-6);
        float[] d = ce.gradient();
        GradCheck.check("logits", logits, d, () -> SoftmaxCrossEntropy.lossSum(logits, y, n, v) / n);
    }
}
