package dev.ballast.export;

import dev.ballast.engine.Rng;
import dev.ballast.lm.TrainedModel;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.engine.nn.RecurrentState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an exported file against Ballast's own engine: for several batch sizes it feeds the same random
 * token windows of several lengths to both, carrying the state from one window to the next on each side,
 * and records the largest absolute difference of the log-probabilities.
 *
 * <pre>{@code
 * VerificationReport r = OnnxVerifier.verify(model, Path.of("model.onnx"));
 * if (!r.passed()) throw ...;
 * }</pre>
 */
public final class OnnxVerifier {

    /** The agreement an export must reach: float32 engines with different summation orders. */
    public static final double TOLERANCE = 1e-4;
    static final int[] BATCHES = {1, 2, 5};
    /** Window lengths, run in this order with the state carried through all of them. */
    static final int[] LENGTHS = {1, 7, 16, 3};

    /** One batch size's result. */
    public record Case(int batch, int[] lengths, double maxAbsDiff) {
    }

    /** The outcome of a verification. */
    public record VerificationReport(double maxAbsDiff, double tolerance, List<Case> cases) {
        public boolean passed() {
            return maxAbsDiff <= tolerance; // NaN fails
        }
    }

    private OnnxVerifier() {
    }

    public static VerificationReport verify(TrainedModel model, Path onnxFile) {
        try (OnnxRunner runner = OnnxRunner.open(onnxFile, 0)) {
            return verify(model.network(), runner, new Rng(20240501L));
        }
    }

    /** Compares {@code runner} against {@code net} on random tokens drawn from {@code rng}. */
    public static VerificationReport verify(LanguageModel net, OnnxRunner runner, Rng rng) {
        ModelConfig cfg = net.config();
        int v = cfg.vocabSize();
        int lh = cfg.layers() * cfg.hidden();
        boolean lstm = cfg.cell().gates() == 4;
        double worst = 0;
        List<Case> cases = new ArrayList<>();
        for (int batch : BATCHES) {
            RecurrentState state = cfg.newState(batch);
            float[] h = new float[lh * batch];
            float[] c = lstm ? new float[lh * batch] : null;
            double caseWorst = 0;
            for (int steps : LENGTHS) {
                int rows = steps * batch;
                int[] ids = new int[rows];
                long[] longIds = new long[rows];
                for (int i = 0; i < rows; i++) {
                    ids[i] = rng.nextInt(v);
                    longIds[i] = ids[i];
                }
                float[] ours = new float[rows * v];
                net.logits(ids, steps, batch, state, ours);
                LogSoftmax.apply(ours, rows, v, ours);
                float[] theirs = new float[rows * v];
                runner.run(longIds, steps, batch, h, c, theirs);
                for (int i = 0; i < ours.length; i++) {
                    caseWorst = Math.max(caseWorst, Math.abs((double) ours[i] - theirs[i])); // NaN sticks
                }
            }
            cases.add(new Case(batch, LENGTHS.clone(), caseWorst));
            worst = Math.max(worst, caseWorst);
        }
        return new VerificationReport(worst, TOLERANCE, List.copyOf(cases));
    }
}
