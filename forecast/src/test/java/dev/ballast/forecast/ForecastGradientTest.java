package dev.ballast.forecast;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Central-difference checks of the losses and of the whole network (head, stacked layers, every-step
 * and last-step-only heads). Tolerances as in the nn tests: float32 forward, eps 1e-2, so a correct
 * gradient agrees to ~1e-4; we allow 5e-4 + 1e-2 relative, and a wrong one is off by O(|g|).
 */
class ForecastGradientTest {

    private static final double EPS = 1e-2;

    private static void check(String what, float[] values, float[] analytic, DoubleSupplier loss) {
        Rng pick = new Rng(what.hashCode());
        int n = Math.min(values.length, 24);
        for (int k = 0; k < n; k++) {
            int i = values.length <= 24 ? k : pick.nextInt(values.length);
            float v = values[i];
            float plus = (float) (v + EPS);
            float minus = (float) (v - EPS);
            values[i] = plus;
            double lp = loss.getAsDouble();
            values[i] = minus;
            double lm = loss.getAsDouble();
            values[i] = v;
            double numeric = (lp - lm) / ((double) plus - minus);
            double allowed = 5e-4 + 1e-2 * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
            assertEquals(numeric, analytic[i], allowed, what + "[" + i + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "mae", "huber"})
    void lossGradientsMatchFiniteDifferences(String name) {
        RegressionLoss loss = RegressionLoss.create(LossKind.parse(name));
        // residuals kept 0.1 or more from the kinks of MAE (0) and Huber (+-1)
        float[] pred = {0.3f, -1.7f, 2.5f, 0.55f, -0.2f, 1.9f};
        float[] target = {0.0f, 0.4f, 0.2f, 0.3f, 0.5f, -0.6f};
        float[] grad = new float[pred.length];
        loss.backward(pred, target, pred.length, grad);
        check(name, pred, grad, () -> loss.forward(pred, target, pred.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "mae", "huber"})
    void lossValuesMatchTheirFormulas(String name) {
        // residuals 0.5 and -3: mse (0.25 + 9)/2; mae 3.5/2; huber (0.125 + (3 - 0.5))/2
        double expected = switch (name) {
            case "mse" -> 9.25 / 2;
            case "mae" -> 1.75;
            default -> 2.625 / 2;
        };
        assertEquals(expected, RegressionLoss.create(LossKind.parse(name)).forward(new float[] {1.5f, -2f}, new float[] {1f, 1f}, 2), 1e-9);
    }

    @ParameterizedTest
    @CsvSource({"lstm, 1, true", "lstm, 2, false", "rnn-tanh, 2, true", "rnn-tanh, 1, false"})
    void networkGradientsMatchFiniteDifferences(String cell, int layers, boolean everyStep) {
        int steps = 4;
        int batch = 2;
        int features = 3;
        int outputs = everyStep ? 1 : 3;
        ForecastNetwork net = new ForecastNetwork(new NetworkShape(CellType.parse(cell), features, 5, layers, outputs,
                everyStep, 0f), KernelProvider.scalar());
        Rng rng = new Rng(7);
        net.initialize(rng);
        float[] x = new float[steps * batch * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        int rows = net.outputRows(steps, batch) * outputs;
        float[] target = new float[rows];
        for (int i = 0; i < rows; i++) {
            target[i] = (float) rng.nextGaussian();
        }
        RegressionLoss mse = RegressionLoss.create(LossKind.MSE);
        net.zeroGrad();
        float[] out = net.forward(x, steps, batch);
        float[] dOut = new float[rows];
        mse.backward(out, target, rows, dOut);
        net.backward(dOut);
        DoubleSupplier loss = () -> mse.forward(net.forward(x, steps, batch), target, rows);
        for (Parameter p : net.parameters()) {
            check(cell + "/" + p.name(), p.value(), p.grad().clone(), loss);
        }
    }
}
