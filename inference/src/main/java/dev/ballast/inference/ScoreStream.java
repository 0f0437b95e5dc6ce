package dev.ballast.inference;

import dev.ballast.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * A text being scored in a batch: read from the zero state in chunks, each token's log-probability taken
 * from its row, as {@link Scorer#score} does window by window.
 */
final class ScoreStream extends BatchStream {

    private final Tokenizer tokenizer;
    private final Scorer.Prepared prepared;
    private final double[] logProbs;
    private final ServerMetrics metrics;

    ScoreStream(InferenceModel model, Scorer.Prepared prepared, ServerMetrics metrics) {
        super(model);
        this.tokenizer = model.tokenizer();
        this.prepared = prepared;
        this.logProbs = new double[prepared.input().length];
        this.metrics = metrics;
    }

    @Override
    void begin() {
        feed(prepared.input());
    }

    @Override
    void fed(int from, int steps, float[] out, int batch, int b, int vocab) {
        int[] ids = prepared.ids();
        for (int t = 0; t < steps; t++) {
            logProbs[from + t] = out[(t * batch + b) * vocab + ids[from + t + prepared.first()]];
        }
        metrics.inputTokens.add(steps);
        if (remaining() == 0) {
            done = true;
        }
    }

    Score score() {
        int[] ids = prepared.ids();
        List<String> pieces = new ArrayList<>(logProbs.length);
        double total = 0;
        for (int i = 0; i < logProbs.length; i++) {
            total += logProbs[i];
            pieces.add(tokenizer.decode(ids, i + prepared.first(), 1));
        }
        return new Score(List.copyOf(pieces), prepared.input(), prepared.targets(), logProbs, total);
    }
}
