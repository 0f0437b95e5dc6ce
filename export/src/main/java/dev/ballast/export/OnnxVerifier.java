package dev.ballast.export;

import dev.ballast.engine.Rng;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.lm.TrainedModel;

import java.nio.file.Path;

/**
 * Checks an exported language model against Ballast's own engine: for batch sizes 1, 2 and 5 it feeds the
 * same random token windows of lengths 1, 7, 16 and 3 to both, carrying the state from one window to the
 * next on each side, and compares the log-probabilities (see {@link SideBySide}).
 *
 * <pre>{@code
 * VerificationReport r = OnnxVerifier.verify(model, Path.of("model.onnx"));
 * if (!r.passed()) throw ...;
 * }</pre>
 */
public final class OnnxVerifier {

    /** Window lengths, run in this order with the state carried through all of them. */
    static final int[] LENGTHS = {1, 7, 16, 3};

    private OnnxVerifier() {
    }

    public static VerificationReport verify(TrainedModel model, Path onnxFile) {
        try (OnnxRunner runner = OnnxRunner.open(onnxFile, 0)) {
            return verify(model.network(), runner, new Rng(20240501L));
        }
    }

    /** Compares {@code runner} against {@code net} on random tokens drawn from {@code rng}. */
    public static VerificationReport verify(LanguageModel net, OnnxRunner runner, Rng rng) {
        return SideBySide.compare(LENGTHS, batch -> carriedWindows(net, runner, rng, batch));
    }

    /** Both sides start from a zero state and keep their own state from one window to the next. */
    private static SideBySide.Windows carriedWindows(LanguageModel net, OnnxRunner runner, Rng rng, int batch) {
        ModelConfig cfg = net.config();
        int v = cfg.vocabSize();
        int stateSize = cfg.layers() * cfg.hidden() * batch;
        RecurrentState state = cfg.newState(batch);
        float[] h = new float[stateSize];
        float[] c = cfg.cell().gates() == 4 ? new float[stateSize] : null;
        return steps -> {
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
            return SideBySide.maxAbsDiff(ours, theirs, rows * v);
        };
    }
}
