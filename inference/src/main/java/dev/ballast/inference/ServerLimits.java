package dev.ballast.inference;

import dev.ballast.engine.ConfigException;

/**
 * The bounds {@link InferenceServer} enforces on every request, validated in one place.
 *
 * @param maxBodyBytes   largest request body accepted (larger → 413)
 * @param maxInputTokens most tokens a prompt or a scored text may encode to
 * @param maxNewTokens   most tokens one generate request may ask for
 * @param threads        request-handling threads (each request runs on one)
 */
public record ServerLimits(int maxBodyBytes, int maxInputTokens, int maxNewTokens, int threads) {

    public static final ServerLimits DEFAULT = new ServerLimits(64 * 1024, 4096, 2048, 4);

    public ServerLimits {
        positive("--max-body", maxBodyBytes);
        positive("--max-input-tokens", maxInputTokens);
        positive("--max-new-tokens", maxNewTokens);
        positive("--server-threads", threads);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new ConfigException(field + " must be at least 1, got " + value);
        }
    }
}
