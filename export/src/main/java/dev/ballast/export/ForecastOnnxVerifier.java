package dev.ballast.export;

import dev.ballast.engine.Rng;
import dev.ballast.forecast.ForecastNetwork;
import dev.ballast.forecast.Forecaster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an exported forecaster against Ballast's {@link ForecastNetwork}: for batch sizes 1, 2 and 5 it
 * feeds the same random input rows (standard normal, the range scaled inputs live in) of lengths 1, 7 and
 * the model's lookback to both, from the zero state, and records the largest absolute difference of the
 * head's outputs (the scaled predictions a forecast is made of).
 *
 * <pre>{@code
 * OnnxVerifier.VerificationReport r = ForecastOnnxVerifier.verify(ForecasterFiles.load(dir), Path.of("f.onnx"));
 * }</pre>
 */
public final class ForecastOnnxVerifier {

    static final int[] BATCHES = {1, 2, 5};

    private ForecastOnnxVerifier() {
    }

    public static OnnxVerifier.VerificationReport verify(Forecaster f, Path onnxFile) {
        try (ForecastOnnxRunner runner = ForecastOnnxRunner.open(onnxFile, 0)) {
            return verify(f.network(), runner, f.config().lookback(), new Rng(20240502L));
        }
    }

    /** Compares {@code runner} against {@code net} on random rows drawn from {@code rng}. */
    public static OnnxVerifier.VerificationReport verify(ForecastNetwork net, Forecaster.Network runner, int lookback, Rng rng) {
        int features = net.shape().features();
        int[] lengths = {1, 7, Math.max(1, lookback)};
        double worst = 0;
        List<OnnxVerifier.Case> cases = new ArrayList<>();
        for (int batch : BATCHES) {
            double caseWorst = 0;
            for (int steps : lengths) {
                float[] x = new float[steps * batch * features];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rng.nextGaussian();
                }
                float[] ours = net.forward(x, steps, batch).clone(); // the engine reuses its output array
                float[] theirs = runner.forward(x, steps, batch);
                int n = net.outputRows(steps, batch) * net.shape().outputs();
                if (theirs.length < n) {
                    caseWorst = Double.NaN;
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    caseWorst = Math.max(caseWorst, Math.abs((double) ours[i] - theirs[i])); // NaN sticks
                }
            }
            cases.add(new OnnxVerifier.Case(batch, lengths.clone(), caseWorst));
            worst = Math.max(worst, caseWorst);
        }
        return new OnnxVerifier.VerificationReport(worst, OnnxVerifier.TOLERANCE, List.copyOf(cases));
    }
}
