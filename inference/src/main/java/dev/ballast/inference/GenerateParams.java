package dev.ballast.inference;

import dev.ballast.lm.generate.SamplingOptions;

import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The generation fields of a native request ({@code POST /v1/generate}, a session's generate), checked:
 * {@code prompt}, {@code max_tokens}, {@code temperature}, {@code top_k}, {@code top_p}, {@code seed},
 * {@code stop}, {@code stream}, {@code n} (samples, with seeds seed, seed + 1, ...) and {@code logprobs}
 * (true: each sampled token's log-probability; a number k: and the k most likely tokens at each step).
 */
record GenerateParams(GenerationRequest request, int n, int logProbs, boolean stream) {

    static final Set<String> FIELDS = Set.of("prompt", "max_tokens", "temperature", "top_k", "top_p", "seed", "stop",
            "stream", "n", "logprobs");
    static final int MAX_STOP_STRINGS = 8;
    static final int MAX_STOP_LENGTH = 64;
    /** Most alternatives a request may ask for per token. */
    static final int MAX_TOP_LOGPROBS = 20;

    /** @param maxN samples per request at most (--max-streams) */
    static GenerateParams parse(RequestBody body, String prompt, ServerLimits limits, int maxN, LongSupplier seeds) {
        int maxTokens = body.integer("max_tokens", 100);
        if (maxTokens < 0 || maxTokens > limits.maxNewTokens()) {
            throw new RequestException(400, "field 'max_tokens' must be in [0, " + limits.maxNewTokens() + "], got " + maxTokens);
        }
        SamplingOptions sampling = sampling(body.number("temperature", 1.0), body.integer("top_k", 0), body.number("top_p", 1.0));
        Long seed = body.longValue("seed");
        long s = seed != null ? seed : seeds.getAsLong();
        List<String> stop = body.strings("stop", MAX_STOP_STRINGS, MAX_STOP_LENGTH);
        int n = body.integer("n", 1);
        if (n < 1 || n > maxN) {
            throw new RequestException(400, "field 'n' must be in [1, " + maxN + "], got " + n);
        }
        int logProbs = -1;
        if (body.has("logprobs")) {
            com.fasterxml.jackson.databind.JsonNode v = body.node("logprobs");
            if (v.isBoolean()) {
                logProbs = v.booleanValue() ? 0 : -1;
            } else if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && v.intValue() <= MAX_TOP_LOGPROBS) {
                logProbs = v.intValue();
            } else if (!v.isNull()) {
                throw new RequestException(400, "field 'logprobs' must be true, false or a number of alternatives in [0, "
                        + MAX_TOP_LOGPROBS + "]");
            }
        }
        return new GenerateParams(new GenerationRequest(prompt, maxTokens, sampling, s, stop), n, logProbs,
                body.bool("stream", false));
    }

    /** The sampling settings; an invalid one is an InputException naming its field, which the server spells as JSON. */
    static SamplingOptions sampling(double temperature, int topK, double topP) {
        return new SamplingOptions(temperature, topK, topP);
    }
}
