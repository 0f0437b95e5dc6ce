package dev.ballast.engine.nn;


import dev.ballast.engine.math.KernelProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RnnLayerTest {

    @Test
    void tanhGradientsMatchFiniteDifferences() {
        RecurrentLayerChecks.checkGradients(new RnnLayer("layers.0", false, RecurrentLayerChecks.I,
                RecurrentLayerChecks.H, KernelProvider.scalar()), 21);
    }

    @Test
    void reluGradientsMatchFiniteDifferencesAwayFromKinks() {
        RecurrentLayerChecks.checkGradients(new RnnLayer("layers.0", true, RecurrentLayerChecks.I,
                RecurrentLayerChecks.H, KernelProvider.scalar()), 22);
    }

    @Test
    void stepComputesActivationOfInputAndRecurrentTerms() {
        // I = 1, H = 1: h_1 = act(x w_in + h_0 w_rec + b) = act(2 * 0.5 + 1 * (-3) + 0.25) = act(-1.75)
        for (boolean relu : new boolean[]{false, true}) {
            RnnLayer layer = new RnnLayer("l", relu, 1, 1, KernelProvider.scalar());
            layer.wInput().value()[0] = 0.5f;
            layer.wRecurrent().value()[0] = -3f;
            layer.bias().value()[0] = 0.25f;
            float[] h = {1f};
            layer.forward(new float[]{2f}, 0, 1, 1, h, null);
            assertEquals(relu ? 0.0 : Math.tanh(-1.75), h[0], 1e-6);
        }
    }

    @Test
    void parametersAreNamedAndShapedByTheirPrefix() {
        RnnLayer layer = new RnnLayer("layers.2", false, 4, 6, KernelProvider.scalar());
        assertEquals("layers.2.w_input", layer.wInput().name());
        assertEquals(Parameter.Kind.INPUT_WEIGHT, layer.wInput().kind());
        assertEquals(6, layer.wRecurrent().shape()[1]);
        assertEquals(Parameter.Kind.RECURRENT_WEIGHT, layer.wRecurrent().kind());
        assertEquals(Parameter.Kind.BIAS, layer.bias().kind());
    }
}
