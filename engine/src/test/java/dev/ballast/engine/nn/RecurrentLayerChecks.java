package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;

import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Gradient checks shared by the LSTM and RNN tests: a window of T steps and B streams from a random,
 * non-zero initial state, and the surrogate loss {@code L = sum_t h_t . R_t} (so dL/dh_t = R_t)
 * computed in double. Checks w_input, w_recurrent, bias and the input x.
 */
public final class RecurrentLayerChecks {

    public static final int T = 5, B = 3, I = 4, H = 6;

    private RecurrentLayerChecks() {
    }

    public static void checkGradients(RecurrentLayer layer, long seed) {
        Rng rng = new Rng(seed);
        int gh = layer.cell().gates() * H;
        System.arraycopy(GradCheck.uniform(I * gh, 0.6f, rng), 0, layer.wInput().value(), 0, I * gh);
        System.arraycopy(GradCheck.uniform(H * gh, 0.6f, rng), 0, layer.wRecurrent().value(), 0, H * gh);
        System.arraycopy(GradCheck.uniform(gh, 0.3f, rng), 0, layer.bias().value(), 0, gh);
        float[] x = GradCheck.uniform(T * B * I, 1f, rng);
        float[] h0 = GradCheck.uniform(B * H, 0.5f, rng);
        float[] c0 = layer.cell() == CellType.LSTM ? GradCheck.uniform(B * H, 0.5f, rng) : null;
        float[] r = GradCheck.uniform(T * B * H, 1f, rng);

        DoubleSupplier loss = () -> {
            layer.forward(x, 0, T, B, h0.clone(), c0 == null ? null : c0.clone());
            return GradCheck.dot(layer.output(), layer.outputOffset(), r);
        };
        loss.getAsDouble();
        float[] dX = new float[T * B * I];
        layer.backward(x, 0, r.clone(), dX);

        // For ReLU, skip coordinates whose perturbation switches a unit on or off (a kink).
        Supplier<boolean[]> active = layer.cell() == CellType.RNN_RELU ? () -> {
            boolean[] on = new boolean[T * B * H];
            for (int i = 0; i < on.length; i++) {
                on[i] = layer.output()[layer.outputOffset() + i] > 0f;
            }
            return on;
        } : null;
        GradCheck.check("w_input", layer.wInput().value(), layer.wInput().grad().clone(), loss, active);
        GradCheck.check("w_recurrent", layer.wRecurrent().value(), layer.wRecurrent().grad().clone(), loss, active);
        GradCheck.check("bias", layer.bias().value(), layer.bias().grad().clone(), loss, active);
        GradCheck.check("input", x, dX, loss, active);
    }
}
