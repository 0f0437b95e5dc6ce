package dev.ballast.inference;

import dev.ballast.engine.InputException;
import dev.ballast.lm.generate.SamplingOptions;

import java.util.List;

/**
 * What to generate: a prompt to continue, at most {@code maxTokens} tokens, drawn under {@code sampling}
 * (temperature, top-k, top-p; temperature 0 = greedy) with {@code seed}, stopping early at the first
 * occurrence of any of {@code stop} (which is not included in the result).
 */
public record GenerationRequest(String prompt, int maxTokens, SamplingOptions sampling, long seed, List<String> stop) {

    public GenerationRequest {
        if (prompt == null) {
            throw InputException.field("prompt", "must not be null");
        }
        if (maxTokens < 0) {
            throw InputException.field("max_tokens", "must be at least 0, got " + maxTokens);
        }
        if (sampling == null) {
            throw new InputException("sampling options must not be null");
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw InputException.field("stop", "strings must not be empty");
            }
        }
    }

    /** Default sampling (temperature 1), seed 0, no stop strings. */
    public static GenerationRequest of(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, maxTokens, SamplingOptions.DEFAULT, 0L, List.of());
    }

    public GenerationRequest withSeed(long s) {
        return new GenerationRequest(prompt, maxTokens, sampling, s, stop);
    }

    public GenerationRequest withSampling(SamplingOptions s) {
        return new GenerationRequest(prompt, maxTokens, s, seed, stop);
    }

    public GenerationRequest withStop(List<String> s) {
        return new GenerationRequest(prompt, maxTokens, sampling, seed, s);
    }
}
