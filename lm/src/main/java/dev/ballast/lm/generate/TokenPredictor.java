package dev.ballast.lm.generate;

/**
 * A language model reading one stream of tokens, as the {@link GenerationLoop} drives it: each call
 * continues from the state the previous call left, which the implementation holds. Implementations
 * are {@code LanguageModelPredictor} (Ballast's network; logits) and the inference module's sessions
 * (Ballast's engine or ONNX Runtime; log-probabilities). Either kind of score samples the same, since
 * the two differ by a constant per row and the sampler's softmax removes it.
 */
@FunctionalInterface
public interface TokenPredictor {

    // tokens: (T), T >= 1 -> scores: (V)
    /**
     * Feeds {@code tokens} in order and returns the scores (logits or log-probabilities) of the token
     * after the last one, one per vocabulary id. The caller may overwrite the array; the implementation
     * may reuse it on the next call.
     */
    float[] feed(int[] tokens);
}
