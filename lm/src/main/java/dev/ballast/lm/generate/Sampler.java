package dev.ballast.lm.generate;

import dev.ballast.engine.Rng;
import java.util.Arrays;

/**
 * Draws a token id from a row of logits under {@link SamplingOptions}. Reuses its buffers, so one
 * sampler per generating thread.
 */
public final class Sampler {

    private final SamplingOptions options;
    private final Rng rng;
    private double[] probs = new double[0];
    private Integer[] order = new Integer[0];

    public Sampler(SamplingOptions options, Rng rng) {
        this.options = options;
        this.rng = rng;
    }

    /** logits[off, off + vocab) → a token id. */
    public int sample(float[] logits, int off, int vocab) {
        if (options.greedy()) {
            return argmax(logits, off, vocab);
        }
        if (probs.length < vocab) {
            probs = new double[vocab];
            order = new Integer[vocab];
        }
        // Softmax at the temperature, in double so that tiny probabilities do not vanish.
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            probs[i] = Math.exp((logits[off + i] - max) / options.temperature());
            sum += probs[i];
        }
        for (int i = 0; i < vocab; i++) {
            probs[i] /= sum;
        }
        if (options.topK() > 0 && options.topK() < vocab || options.topP() < 1.0) {
            truncate(vocab);
        }
        double u = rng.nextDouble();
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            total += probs[i];
        }
        double acc = 0;
        double target = u * total;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            if (probs[i] > 0) {
                acc += probs[i];
                last = i;
                if (acc > target) {
                    return i;
                }
            }
        }
        return last; // rounding left the target a hair above the total
    }

    /** Zeroes every probability outside the top-k / nucleus set. */
    private void truncate(int vocab) {
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        // Stable sort by descending probability: ties keep token order, so results are reproducible.
        Arrays.sort(order, 0, vocab, (a, b) -> Double.compare(probs[b], probs[a]));
        int keep = options.topK() > 0 ? Math.min(options.topK(), vocab) : vocab;
        if (options.topP() < 1.0) {
            double acc = 0;
            for (int r = 0; r < keep; r++) {
                acc += probs[order[r]];
                if (acc >= options.topP()) {
                    keep = r + 1;
                    break;
                }
            }
        }
        for (int r = keep; r < vocab; r++) {
            probs[order[r]] = 0;
        }
    }

    static int argmax(float[] logits, int off, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[off + i] > logits[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
