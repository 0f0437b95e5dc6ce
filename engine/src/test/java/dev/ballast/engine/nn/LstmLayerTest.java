package dev.ballast.engine.nn;

import dev.ballast.engine.math.KernelProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LstmLayerTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        RecurrentLayerChecks.checkGradients(new LstmLayer("layers.0", RecurrentLayerChecks.I, RecurrentLayerChecks.H,
                KernelProvider.scalar()), 11);
    }

    @Test
    void oneStepFollowsTheGateEquationsInOrderIFGO() {
        // I = 1, H = 1, B = 1, zero weights: the gates are the biases alone.
        LstmLayer layer = new LstmLayer("l", 1, 1, KernelProvider.scalar());
        float[] b = layer.bias().value();
        b[0] = 0.5f;  // i
        b[1] = -1f;   // f
        b[2] = 2f;    // g
        b[3] = 0.25f; // o
        float[] h = {0f};
        float[] c = {0.8f};
        layer.forward(new float[]{0f}, 0, 1, 1, h, c);
        double i = sigmoid(0.5), f = sigmoid(-1), g = Math.tanh(2), o = sigmoid(0.25);
        double cNew = f * 0.8 + i * g;
        assertEquals(cNew, c[0], 1e-6);
        assertEquals(o * Math.tanh(cNew), h[0], 1e-6);
        assertEquals(h[0], layer.output()[layer.outputOffset()]);
    }

    @Test
    void carriesStateAcrossWindows() {
        LstmLayer whole = new LstmLayer("l", 2, 3, KernelProvider.scalar());
        LstmLayer split = new LstmLayer("l", 2, 3, KernelProvider.scalar());
        dev.ballast.engine.Rng rng = new dev.ballast.engine.Rng(5);
        for (Parameter p : whole.parameters()) {
            float[] v = GradCheck.uniform(p.size(), 0.7f, rng);
            System.arraycopy(v, 0, p.value(), 0, v.length);
        }
        for (int k = 0; k < 3; k++) {
            System.arraycopy(whole.parameters().get(k).value(), 0, split.parameters().get(k).value(), 0,
                    whole.parameters().get(k).size());
        }
        float[] x = GradCheck.uniform(4 * 2 * 2, 1f, rng); // T = 4, B = 2, I = 2
        float[] h1 = new float[6], c1 = new float[6];
        whole.forward(x, 0, 4, 2, h1, c1);
        float[] h2 = new float[6], c2 = new float[6];
        split.forward(x, 0, 2, 2, h2, c2);
        split.forward(x, 2 * 2 * 2, 2, 2, h2, c2);
        assertArrayEquals(h1, h2, 1e-6f);
        assertArrayEquals(c1, c2, 1e-6f);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
