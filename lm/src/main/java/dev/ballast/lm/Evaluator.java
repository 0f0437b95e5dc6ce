package dev.ballast.lm;

import dev.ballast.engine.nn.RecurrentState;

import dev.ballast.corpora.TbpttBatcher;

/**
 * Scores a token stream the way the PyTorch reference does: the stream is cut into {@code batch}
 * parallel streams read in windows of {@code seq} tokens (the last window may be shorter), with
 * the hidden state carried from window to window and no dropout.
 */
public final class Evaluator {

    private Evaluator() {
    }

    public static Evaluation evaluate(LanguageModel model, int[] tokens, int batch, int seq) {
        // Few tokens cannot fill many streams; use as many streams as the text allows.
        int streams = Math.max(1, Math.min(batch, (tokens.length - 1) / 2));
        if (tokens.length < 2) {
            throw new IllegalArgumentException("need at least 2 tokens to evaluate, got " + tokens.length);
        }
        TbpttBatcher batcher = new TbpttBatcher(tokens, streams, seq, true);
        RecurrentState state = model.config().newState(streams);
        int[] x = new int[seq * streams];
        int[] y = new int[seq * streams];
        double sum = 0;
        long count = 0;
        for (int w = 0; w < batcher.windowsPerEpoch(); w++) {
            int len = batcher.next(x, y);
            sum += model.lossSum(x, y, len, streams, state);
            count += (long) len * streams;
        }
        return new Evaluation(sum / count, count);
    }
}
