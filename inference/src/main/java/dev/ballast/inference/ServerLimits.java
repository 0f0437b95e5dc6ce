package dev.ballast.inference;

import dev.ballast.engine.InputException;

/**
 * The bounds {@link InferenceServer} enforces on every request and connection, validated in one place.
 *
 * @param maxBodyBytes       largest request body accepted (larger → 413)
 * @param maxInputTokens     most tokens a prompt or a scored text may encode to
 * @param maxNewTokens       most tokens one generate request may ask for
 * @param threads            model threads: requests that run the model at once (each runs on one)
 * @param maxConnections     open connections at most; further clients wait in the accept queue until one closes
 * @param idleTimeoutSeconds a connection that sends or accepts nothing for this long is closed (the read
 *                           deadline for headers and body, and the write deadline for a client that stops reading)
 */
public record ServerLimits(int maxBodyBytes, int maxInputTokens, int maxNewTokens, int threads, int maxConnections,
                           int idleTimeoutSeconds) {

    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

    public static final ServerLimits DEFAULT = new ServerLimits(64 * 1024, 4096, 2048, 4);

    public ServerLimits {
        positive("max_body", maxBodyBytes);
        positive("max_input_tokens", maxInputTokens);
        positive("max_new_tokens", maxNewTokens);
        positive("server_threads", threads);
        positive("max_connections", maxConnections);
        positive("idle_timeout", idleTimeoutSeconds);
    }

    /** The request limits with the default connection limit and idle timeout. */
    public ServerLimits(int maxBodyBytes, int maxInputTokens, int maxNewTokens, int threads) {
        this(maxBodyBytes, maxInputTokens, maxNewTokens, threads, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT_SECONDS);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw InputException.field(field, "must be at least 1, got " + value);
        }
    }
}
