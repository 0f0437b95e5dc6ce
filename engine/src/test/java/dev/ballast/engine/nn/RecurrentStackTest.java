package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.DoubleSupplier;

/**
 * The shared stack's backward against finite differences: every parameter and the input, through stacked
 * layers with the residual connection (L = Σ output · r, so dL/d output = r).
 */
class RecurrentStackTest {

    @ParameterizedTest
    @CsvSource({"lstm, false", "lstm, true", "rnn-tanh, true"})
    void backwardMatchesFiniteDifferences(String cell, boolean residual) {
        int in = 3, hidden = 4, layers = 3, steps = 3, batch = 2;
        int rows = steps * batch;
        RecurrentStack stack = new RecurrentStack(CellType.parse(cell), in, hidden, layers, 0f, residual,
                KernelProvider.scalar());
        Rng rng = new Rng(11);
        for (Parameter p : stack.parameters()) {
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.5 * rng.nextGaussian());
            }
        }
        float[] x = GradCheck.uniform(rows * in, 1f, rng);
        float[] r = GradCheck.uniform(rows * hidden, 1f, rng);
        RecurrentState state = new RecurrentState(layers, batch, hidden, CellType.parse(cell));
        DoubleSupplier loss = () -> {
            state.zero();
            stack.forward(x, 0, steps, batch, state, false, null, null);
            return GradCheck.dot(stack.output(), stack.outputOffset(), r);
        };
        loss.getAsDouble();
        for (Parameter p : stack.parameters()) {
            p.zeroGrad();
        }
        System.arraycopy(r, 0, stack.outputGradient(), 0, r.length);
        float[] dX = new float[rows * in];
        stack.backward(dX, null);
        for (Parameter p : stack.parameters()) {
            GradCheck.check(cell + " " + p.name(), p.value(), p.grad().clone(), loss);
        }
        GradCheck.check(cell + " input", x, dX, loss);
    }
}
