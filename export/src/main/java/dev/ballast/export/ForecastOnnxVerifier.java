package dev.ballast.export;

import dev.ballast.engine.Rng;
import dev.ballast.forecast.ForecastNetwork;
import dev.ballast.forecast.Forecaster;

import java.nio.file.Path;

/**
 * Checks an exported forecaster against Ballast's {@link ForecastNetwork}: for batch sizes 1, 2 and 5 it
 * feeds the same random input rows (standard normal, the range scaled inputs live in) of lengths 1, 7 and
 * the model's lookback to both, each window from the zero state, and compares the head's outputs (the
 * scaled predictions a forecast is made of; see {@link SideBySide}).
 *
 * <pre>{@code
 * VerificationReport r = ForecastOnnxVerifier.verify(ForecasterFiles.load(dir), Path.of("f.onnx"));
 * }</pre>
 */
public final class ForecastOnnxVerifier {

    private ForecastOnnxVerifier() {
    }

    public static VerificationReport verify(Forecaster f, Path onnxFile) {
        try (ForecastOnnxRunner runner = ForecastOnnxRunner.open(onnxFile, 0)) {
            return verify(f.network(), runner, f.config().lookback(), new Rng(20240502L));
        }
    }

    /** Compares {@code runner} against {@code net} on random rows drawn from {@code rng}. */
    public static VerificationReport verify(ForecastNetwork net, Forecaster.Network runner, int lookback, Rng rng) {
        int[] lengths = {1, 7, Math.max(1, lookback)};
        return SideBySide.compare(lengths, batch -> steps -> {
            float[] x = new float[steps * batch * net.shape().features()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            float[] ours = net.forward(x, steps, batch).clone(); // the engine reuses its output array
            float[] theirs = runner.forward(x, steps, batch);
            return SideBySide.maxAbsDiff(ours, theirs, net.outputRows(steps, batch) * net.shape().outputs());
        });
    }
}
