package dev.ballast.inference;

/**
 * Generated text.
 *
 * @param text       the continuation, without the prompt and without the stop string
 * @param tokens     how many tokens were sampled
 * @param stopReason {@code length} (max tokens reached) or {@code stop} (a stop string appeared)
 * @param seed       the sampling seed
 */
public record Generation(String text, int tokens, String stopReason, long seed) {
}
