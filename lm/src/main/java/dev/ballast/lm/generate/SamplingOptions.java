package dev.ballast.lm.generate;

import dev.ballast.engine.InputException;

/**
 * How the next token is chosen from the model's distribution.
 *
 * @param temperature divides the logits; 0 means greedy (always the most likely token)
 * @param topK        keep only the k most likely tokens (0 = all)
 * @param topP        keep the smallest set of tokens whose probability reaches p (1 = all); Holtzman et al. 2020
 */
public record SamplingOptions(double temperature, int topK, double topP) {

    public static final SamplingOptions DEFAULT = new SamplingOptions(1.0, 0, 1.0);
    public static final SamplingOptions GREEDY = new SamplingOptions(0.0, 0, 1.0);

    public SamplingOptions {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw InputException.field("temperature", "must be at least 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw InputException.field("top_k", "must be at least 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw InputException.field("top_p", "must be in (0, 1], got " + topP);
        }
    }

    public boolean greedy() {
        return temperature == 0.0;
    }
}
