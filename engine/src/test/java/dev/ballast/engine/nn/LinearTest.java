package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearTest {

    private static final int N = 5, IN = 4, OUT = 3;

    @Test
    void computesXTimesWPlusBias() {
        Linear lin = new Linear("out", 2, 2, Parameter.Kind.OUTPUT_WEIGHT, KernelProvider.scalar());
        System.arraycopy(new float[]{1, 2, 3, 4}, 0, lin.weight().value(), 0, 4); // W = [[1,2],[3,4]]
        System.arraycopy(new float[]{0.5f, -1}, 0, lin.bias().value(), 0, 2);
        float[] y = new float[2];
        lin.forward(new float[]{9, 1, -1}, 1, 1, y); // x = [1, -1] from offset 1
        // [1, -1] W = [1 - 3, 2 - 4] = [-2, -2]; plus bias
        assertEquals(-1.5f, y[0]);
        assertEquals(-3f, y[1]);
        assertEquals("out.weight", lin.weight().name());
        assertEquals("out.bias", lin.bias().name());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng rng = new Rng(1);
        Linear lin = new Linear("output", IN, OUT, Parameter.Kind.OUTPUT_WEIGHT, KernelProvider.scalar());
        System.arraycopy(GradCheck.uniform(IN * OUT, 1f, rng), 0, lin.weight().value(), 0, IN * OUT);
        System.arraycopy(GradCheck.uniform(OUT, 1f, rng), 0, lin.bias().value(), 0, OUT);
        float[] x = GradCheck.uniform(N * IN, 1f, rng);
        float[] r = GradCheck.uniform(N * OUT, 1f, rng); // surrogate loss L = sum(y * r), so dL/dy = r
        float[] y = new float[N * OUT];
        float[] dX = new float[N * IN];
        lin.forward(x, 0, N, y);
        lin.backward(x, 0, r.clone(), N, dX);

        java.util.function.DoubleSupplier loss = () -> {
            lin.forward(x, 0, N, y);
            return GradCheck.dot(y, 0, r);
        };
        GradCheck.check("weight", lin.weight().value(), lin.weight().grad().clone(), loss);
        GradCheck.check("bias", lin.bias().value(), lin.bias().grad().clone(), loss);
        GradCheck.check("input", x, dX, loss);
    }

    @Test
    void backwardAccumulatesIntoGrad() {
        Rng rng = new Rng(2);
        Linear lin = new Linear("output", IN, OUT, Parameter.Kind.OUTPUT_WEIGHT, KernelProvider.scalar());
        float[] x = GradCheck.uniform(N * IN, 1f, rng);
        float[] dY = GradCheck.uniform(N * OUT, 1f, rng);
        lin.backward(x, 0, dY, N, null);
        float[] once = lin.weight().grad().clone();
        lin.backward(x, 0, dY, N, null);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], lin.weight().grad()[i], 1e-6f);
        }
    }
}
