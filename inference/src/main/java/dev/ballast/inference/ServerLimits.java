package dev.ballast.inference;

import dev.ballast.engine.InputException;

/**
 * The bounds {@link InferenceServer} enforces on every request and connection, validated in one place.
 *
 * @param maxBodyBytes       largest request body accepted (larger → 413)
 * @param maxInputTokens     most tokens a prompt or a scored text may encode to
 * @param maxNewTokens       most tokens one generate request may ask for
 * @param threads            request threads: they check requests, run forecasts and hand language-model work to the
 *                           batch scheduler, which runs the model on a thread of its own
 * @param maxConnections     open connections at most; further clients wait in the accept queue until one closes
 * @param idleTimeoutSeconds a connection that sends or accepts nothing for this long is closed (the read
 *                           deadline for headers and body, and the write deadline for a client that stops reading)
 * @param maxStreams         streams the batch scheduler steps at once (a request with n samples takes n);
 *                           further requests wait in the queue
 * @param maxQueue           requests that may wait for a stream; more get 503 with Retry-After
 * @param requestTimeoutSeconds a generate, score or session request that has not finished this long after it
 *                           was queued is stopped (504, or its stream ends with stop reason "timeout")
 * @param maxSessions        open sessions at most (more: 429)
 * @param sessionIdleSeconds a session unused this long is closed
 * @param prefillChunk       most tokens of a prompt or text a stream reads in one scheduler step
 */
public record ServerLimits(int maxBodyBytes, int maxInputTokens, int maxNewTokens, int threads, int maxConnections,
                           int idleTimeoutSeconds, int maxStreams, int maxQueue, int requestTimeoutSeconds,
                           int maxSessions, int sessionIdleSeconds, int prefillChunk) {

    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_MAX_STREAMS = 64;
    public static final int DEFAULT_MAX_QUEUE = 256;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_MAX_SESSIONS = 1024;
    public static final int DEFAULT_SESSION_IDLE_SECONDS = 600;
    public static final int DEFAULT_PREFILL_CHUNK = 64;

    public static final ServerLimits DEFAULT = new ServerLimits(64 * 1024, 4096, 2048, 4);

    public ServerLimits {
        positive("max_body", maxBodyBytes);
        positive("max_input_tokens", maxInputTokens);
        positive("max_new_tokens", maxNewTokens);
        positive("server_threads", threads);
        positive("max_connections", maxConnections);
        positive("idle_timeout", idleTimeoutSeconds);
        positive("max_streams", maxStreams);
        positive("max_queue", maxQueue);
        positive("request_timeout", requestTimeoutSeconds);
        positive("max_sessions", maxSessions);
        positive("session_idle_timeout", sessionIdleSeconds);
        positive("prefill_chunk", prefillChunk);
    }

    /** The connection limits with the default batching, queue, timeout and session limits. */
    public ServerLimits(int maxBodyBytes, int maxInputTokens, int maxNewTokens, int threads, int maxConnections,
                        int idleTimeoutSeconds) {
        this(maxBodyBytes, maxInputTokens, maxNewTokens, threads, maxConnections, idleTimeoutSeconds, DEFAULT_MAX_STREAMS,
                DEFAULT_MAX_QUEUE, DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_SECONDS,
                DEFAULT_PREFILL_CHUNK);
    }

    /** These limits with other batching limits: streams stepped at once, queued requests, request timeout. */
    public ServerLimits withBatching(int maxStreams, int maxQueue, int requestTimeoutSeconds) {
        return new ServerLimits(maxBodyBytes, maxInputTokens, maxNewTokens, threads, maxConnections, idleTimeoutSeconds,
                maxStreams, maxQueue, requestTimeoutSeconds, maxSessions, sessionIdleSeconds, prefillChunk);
    }

    /** These limits with other session limits. */
    public ServerLimits withSessions(int maxSessions, int sessionIdleSeconds) {
        return new ServerLimits(maxBodyBytes, maxInputTokens, maxNewTokens, threads, maxConnections, idleTimeoutSeconds,
                maxStreams, maxQueue, requestTimeoutSeconds, maxSessions, sessionIdleSeconds, prefillChunk);
    }

    /** These limits with another prefill chunk. */
    public ServerLimits withPrefillChunk(int tokens) {
        return new ServerLimits(maxBodyBytes, maxInputTokens, maxNewTokens, threads, maxConnections, idleTimeoutSeconds,
                maxStreams, maxQueue, requestTimeoutSeconds, maxSessions, sessionIdleSeconds, tokens);
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
