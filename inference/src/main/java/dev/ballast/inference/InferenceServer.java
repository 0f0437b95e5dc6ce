package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.InputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * HTTP/JSON front of an {@link InferenceModel} (Jetty 12, core handler API).
 *
 * <pre>
 *   GET  /health        {"status": "ok", "requests": n}
 *   GET  /v1/model      backend, source, cell, sizes, tokenizer, provenance
 *   POST /v1/generate   {"prompt": "ROMEO:", "max_tokens": 200, "temperature": 0.8, "top_k": 0, "top_p": 1.0,
 *                        "seed": 1, "stop": ["\n\n"], "stream": false}
 *                       → {"text", "tokens", "stop_reason", "seed"}; with "stream": true, NDJSON lines
 *                         {"text": piece} then the same final object with "done": true
 *   POST /v1/score      {"text": "...", "per_token": false} → tokens, total_log_prob, mean_loss, perplexity,
 *                       bits_per_token (and per_token)
 *   POST /v1/forecast   {"history": [...], "horizon": 12} → {"forecast", "lower", "upper", "level"} (see {@link ForecastEndpoint})
 *   POST /v1/completions, GET /v1/models    OpenAI's completions API (see {@link Completions})
 *   /v1/sessions        state kept between requests (see {@link LanguageEndpoints})
 *   GET  /metrics       Prometheus text format (see {@link ServerMetrics})
 * </pre>
 * {@code /v1/generate} also takes {@code n} (samples, seeds seed .. seed + n - 1) and {@code logprobs}.
 * A server runs either a language model (generate, score, completions, sessions) or a {@link ForecastModel}
 * (forecast); the other kind's endpoints answer 404 with a JSON error saying which kind is served.
 * Every request is validated against {@link ServerLimits}; a bad one gets a 4xx with
 * {@code {"error": "one line", "status": n}} and the server carries on — so does a request that is not HTTP
 * at all ({@link JsonErrorHandler}). With an {@link ApiKey}, everything but {@code GET /health} needs
 * {@code Authorization: Bearer KEY} (401 otherwise).
 *
 * <p>Threads: Jetty parses requests on its selector and reads bodies asynchronously, so a client that sends
 * its headers or body slowly, or nothing at all, holds a connection but no thread. A fully read request is
 * checked on one of {@link ServerLimits#threads()} request threads, which hand language-model work to the
 * {@link BatchScheduler}: one thread that steps every active stream of every request together (continuous
 * batching, at most {@link ServerLimits#maxStreams()} streams, a queue of {@link ServerLimits#maxQueue()}
 * requests beyond that, then 503 with Retry-After) and answers each request when its streams are done,
 * streaming without ever blocking on a client. Connections are capped at {@link ServerLimits#maxConnections()}
 * (further clients wait in the accept queue) and closed after {@link ServerLimits#idleTimeoutSeconds()}
 * without traffic. {@link #stop} stops taking requests, lets running ones finish within the grace period and
 * ends the rest with a last answer.
 */
public final class InferenceServer implements AutoCloseable {

    /** Jetty's own threads: one acceptor, one selector, and workers for parsing and writing; never the model. */
    private static final int HTTP_THREADS = 12;
    private static final int MAX_HEADER_BYTES = 8 * 1024;

    private final InferenceModel model;        // null when serving a forecaster
    private final ForecastModel forecaster;    // null when serving a language model
    private final ServerLimits limits;
    private final ApiKey apiKey;               // null when no key is required
    private final Server server;
    private final ServerConnector connector;
    private final NetworkConnectionLimit connectionLimit;
    private final ThreadPoolExecutor modelPool;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger seedCounter = new AtomicInteger();
    private final ServerMetrics metrics = new ServerMetrics();
    private final LanguageEndpoints lm;         // null when serving a forecaster
    private final Completions completions;      // null when serving a forecaster
    private final ScheduledExecutorService sweeper;

    private InferenceServer(InferenceModel model, ForecastModel forecaster, String host, int port, ServerLimits limits,
                            ApiKey apiKey) {
        this.model = model;
        this.forecaster = forecaster;
        this.limits = limits;
        this.apiKey = apiKey;

        QueuedThreadPool http = new QueuedThreadPool(HTTP_THREADS, 2);
        http.setName("ballast-http");
        http.setDaemon(true);
        server = new Server(http);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setRequestHeaderSize(MAX_HEADER_BYTES);
        // Jetty reuses header fields it has seen on a connection and by default matches them ignoring case,
        // so "Bearer KEY" could stand in for "Bearer key"; values must be taken exactly as sent.
        config.setHeaderCacheCaseSensitive(true);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(limits.idleTimeoutSeconds()));
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        connectionLimit = new NetworkConnectionLimit(limits.maxConnections(), connector);
        server.addBean(connectionLimit);
        server.setErrorHandler(new JsonErrorHandler(limits));
        server.setHandler(new GracefulHandler(new Front()));

        // Requests beyond the model threads wait, as they always have. A connection has at most one request in
        // flight, so a queue with room for one per connection never refuses one while the server runs; the 503
        // below is for requests that arrive as it stops.
        if (model != null) {
            lm = new LanguageEndpoints(model, limits, metrics, this::fail,
                    () -> System.nanoTime() ^ seedCounter.incrementAndGet());
            completions = new Completions(lm);
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ballast-sessions");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(lm.sessions::expireIdle, 1, 1, TimeUnit.SECONDS);
        } else {
            lm = null;
            completions = null;
            sweeper = null;
        }
        modelPool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.maxConnections()), r -> {
                    Thread t = new Thread(r, "ballast-serve");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Binds {@code host:port} (port 0 = any free port) and starts serving, with no key required. */
    public static InferenceServer start(InferenceModel model, String host, int port, ServerLimits limits) throws IOException {
        return start(model, host, port, limits, null);
    }

    /** Binds {@code host:port} and serves a language model; with a non-null key, requests need it (see the class comment). */
    public static InferenceServer start(InferenceModel model, String host, int port, ServerLimits limits, ApiKey apiKey)
            throws IOException {
        return start(new InferenceServer(model, null, host, port, limits, apiKey));
    }

    /** Binds {@code host:port} (port 0 = any free port) and serves {@code POST /v1/forecast} for a forecaster. */
    public static InferenceServer start(ForecastModel forecaster, String host, int port, ServerLimits limits) throws IOException {
        return start(forecaster, host, port, limits, null);
    }

    /** Binds {@code host:port} and serves a forecaster; with a non-null key, requests need it. */
    public static InferenceServer start(ForecastModel forecaster, String host, int port, ServerLimits limits, ApiKey apiKey)
            throws IOException {
        return start(new InferenceServer(null, forecaster, host, port, limits, apiKey));
    }

    private static InferenceServer start(InferenceServer s) throws IOException {
        try {
            s.server.start();
            return s;
        } catch (Exception e) {
            s.stop(0);
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof BindException) {
                    throw new BindException(c.getMessage()); // e.g. "Address already in use"
                }
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    public InetSocketAddress address() {
        String host = connector.getHost();
        return new InetSocketAddress(host == null ? "0.0.0.0" : host, port());
    }

    /** Connections open right now (including idle and half-sent ones); for tests and monitoring. */
    public int openConnections() {
        return connectionLimit.getNetworkConnectionCount();
    }

    /** One request: Jetty's request, response and completion callback, and the decoded path. */
    record Exchange(Request request, Response response, Callback callback, String path) {

        void send(int status, ObjectNode body) {
            byte[] bytes = (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }

        void error(int status, String message) {
            if (response.isCommitted()) {
                callback.failed(new IOException(message)); // a stream broke midway: all we can do is cut it
                return;
            }
            send(status, JsonErrorHandler.body(status, message));
        }
    }

    /** Jetty calls this once a request's headers are in; it never blocks (bodies are read asynchronously). */
    private final class Front extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            requests.incrementAndGet();
            String path = request.getHttpURI().getDecodedPath();
            path = path == null ? "" : path;
            Exchange ex = new Exchange(request, response, counted(path, response, callback), path);
            // Reads and writes still time out, but a request waiting for or running on the model is not idle.
            request.addIdleTimeoutListener(timeout -> false);
            try {
                route(ex);
            } catch (Throwable t) {
                fail(ex, t);
            }
            return true;
        }
    }

    private void fail(Exchange ex, Throwable t) {
        if (t instanceof InputException e) {
            ex.error(e instanceof RequestException r ? r.status() : 400, e.message(InferenceServer::jsonField));
        } else if (t instanceof ClientGone) {
            ex.callback().failed(t.getCause()); // a streaming client went away mid-answer; nothing to answer
        } else {
            // Never let one request take the server down; the detail stays in the server log.
            System.err.println("ballast serve: internal error on " + ex.path() + ": " + t);
            ex.error(500, "internal error");
        }
    }

    /**
     * How an error spells a field it names: as the request's JSON field, quoted ({@code field 'top_k'}). The
     * one place the server maps field names; configuration and request fields share their snake_case names,
     * so a library message ({@code top_k must be at least 0}) reads as one about the request.
     */
    static String jsonField(String field) {
        return "field '" + field + "'";
    }

    private void route(Exchange ex) {
        String path = ex.path();
        String method = ex.request().getMethod();
        if (apiKey != null && !(path.equals("/health") && method.equals("GET"))) {
            authorize(ex);
        }
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET");
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("status", "ok");
                n.put("requests", requests.get());
                ex.send(200, n);
            }
            case "/v1/model" -> {
                requireMethod(method, "GET");
                ex.send(200, model != null ? model.info().toJson() : forecaster.info());
            }
            case "/v1/generate" -> {
                requireMethod(method, "POST");
                requireLanguageModel(path);
                withBody(ex, body -> lm.generate(ex, body));
            }
            case "/v1/score" -> {
                requireMethod(method, "POST");
                requireLanguageModel(path);
                withBody(ex, body -> lm.score(ex, body));
            }
            case "/v1/completions" -> {
                requireMethod(method, "POST");
                requireLanguageModel(path);
                withBody(ex, body -> completions.completions(ex, body));
            }
            case "/v1/models" -> {
                requireMethod(method, "GET");
                requireLanguageModel(path);
                completions.models(ex);
            }
            case "/metrics" -> {
                requireMethod(method, "GET");
                byte[] text = metrics.render().getBytes(StandardCharsets.UTF_8);
                ex.response().setStatus(200);
                ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                ex.response().write(true, ByteBuffer.wrap(text), ex.callback());
            }
            case "/v1/forecast" -> {
                requireMethod(method, "POST");
                if (forecaster == null) {
                    throw new RequestException(404, "this server serves a language model, not a forecaster: "
                            + "use POST /v1/generate or POST /v1/score");
                }
                withBody(ex, body -> ex.send(200,
                        ForecastEndpoint.handle(forecaster, RequestBody.parse(body, ForecastEndpoint.FIELDS), limits)));
            }
            default -> {
                if (path.equals("/v1/sessions") || path.startsWith("/v1/sessions/")) {
                    requireLanguageModel(path);
                    lm.sessions(ex, path.length() > 13 ? path.substring(13) : "", this::withBody);
                    return;
                }
                throw new RequestException(404, "no endpoint " + truncate(path) + " (endpoints: GET /health, GET /v1/model, GET /metrics, "
                        + (model != null ? "POST /v1/generate, POST /v1/score, POST /v1/completions, GET /v1/models, /v1/sessions)"
                        : "POST /v1/forecast)"));
            }
        }
    }

    private void authorize(Exchange ex) {
        ApiKey.Check check = apiKey.check(ex.request().getHeaders().get(HttpHeader.AUTHORIZATION));
        if (check != ApiKey.Check.ACCEPTED) {
            ex.response().getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            throw new RequestException(401, check == ApiKey.Check.MISSING
                    ? "this server needs an API key: send the header 'Authorization: Bearer KEY'"
                    : "wrong API key");
        }
    }

    private void requireLanguageModel(String path) {
        if (model == null) {
            throw new RequestException(404, "this server serves a forecaster, not a language model: " + path
                    + " is not available; use POST /v1/forecast");
        }
    }

    /** What to do with a request's body once all of it is in; runs on a model thread. */
    @FunctionalInterface
    interface BodyTask {
        void run(byte[] body);
    }

    /** Reads a request's body, then runs a task with it (see {@link #withBody}). */
    @FunctionalInterface
    interface BodyRunner {
        void run(Exchange ex, BodyTask task);
    }

    /** The route a path counts under in the metrics: a fixed name, never a session id or an unknown path. */
    static String endpointLabel(String path) {
        switch (path) {
            case "/health", "/v1/model", "/v1/models", "/v1/generate", "/v1/score", "/v1/forecast", "/v1/completions",
                 "/metrics", "/v1/sessions" -> {
                return path;
            }
            default -> {
                if (path.startsWith("/v1/sessions/")) {
                    String rest = path.substring(13);
                    int slash = rest.indexOf('/');
                    if (slash < 0) {
                        return "/v1/sessions/{id}";
                    }
                    String action = rest.substring(slash + 1);
                    if (action.equals("feed") || action.equals("generate") || action.equals("logprobs")) {
                        return "/v1/sessions/{id}/" + action;
                    }
                }
                return "other";
            }
        }
    }

    /** The request's callback, counting the request (endpoint, status, duration) in the metrics when it ends. */
    private Callback counted(String path, Response response, Callback callback) {
        long start = System.nanoTime();
        String label = endpointLabel(path);
        return new Callback() {
            @Override
            public void succeeded() {
                metrics.request(label, response.getStatus(), (System.nanoTime() - start) / 1e9);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                metrics.request(label, response.isCommitted() ? response.getStatus() : 500, (System.nanoTime() - start) / 1e9);
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
    }

    /**
     * Reads the body without holding a thread (a slow sender holds only its connection), then runs the task on
     * the model pool. Larger than --max-body → 413 as soon as that is known; no body within the idle timeout → 408.
     */
    private void withBody(Exchange ex, BodyTask task) {
        long declared = ex.request().getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > limits.maxBodyBytes()) {
            ex.response().getHeaders().put(HttpHeader.CONNECTION, "close");
            throw tooLarge();
        }
        new BodyReader(ex.request(), limits.maxBodyBytes(), body -> runOnModelThread(ex, () -> task.run(body)), failure -> {
            if (failure instanceof RequestException e) {
                ex.response().getHeaders().put(HttpHeader.CONNECTION, "close"); // not worth reading the rest
                ex.error(e.status(), e.message(InferenceServer::jsonField));
            } else if (failure instanceof TimeoutException) {
                ex.error(408, "the request body did not arrive: nothing was received for "
                        + limits.idleTimeoutSeconds() + " s");
            } else {
                ex.callback().failed(failure); // the client went away mid-body
            }
        }).run();
    }

    private RequestException tooLarge() {
        return new RequestException(413, "request body is larger than " + limits.maxBodyBytes() + " bytes");
    }

    private void runOnModelThread(Exchange ex, Runnable work) {
        try {
            modelPool.execute(() -> {
                try {
                    work.run();
                } catch (Throwable t) {
                    fail(ex, t);
                }
            });
        } catch (RejectedExecutionException e) {
            ex.error(503, "the server is shutting down");
        }
    }

    /** Pulls a request body chunk by chunk; when none is there it asks Jetty to call it again, and returns. */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final int maxBytes;
        private final Consumer<byte[]> done;
        private final Consumer<Throwable> failed;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        BodyReader(Request request, int maxBytes, Consumer<byte[]> done, Consumer<Throwable> failed) {
            this.request = request;
            this.maxBytes = maxBytes;
            this.done = done;
            this.failed = failed;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed.accept(chunk.getFailure());
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                boolean last = chunk.isLast();
                if (body.size() + buffer.remaining() > maxBytes) {
                    chunk.release();
                    failed.accept(tooLarge());
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                body.write(bytes, 0, bytes.length);
                chunk.release();
                if (last) {
                    done.accept(body.toByteArray());
                    return;
                }
            }
        }
    }

    /** A streaming client went away: generation stops and the exchange is cut. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(IOException cause) {
            super(cause);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new RequestException(405, "use " + expected + " here, not " + truncate(method));
        }
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Stops accepting requests, lets running ones finish for up to {@code graceSeconds}, then stops. */
    public void stop(int graceSeconds) {
        long grace = TimeUnit.SECONDS.toMillis(graceSeconds);
        // Jetty stops accepting and waits for open requests; meanwhile the scheduler refuses new work, lets its
        // streams finish within the grace period and then ends the rest with a proper last answer, which is what
        // lets Jetty's wait end. A second more for those last answers to go out.
        Thread drain = null;
        if (lm != null) {
            drain = new Thread(() -> lm.shutdown(grace), "ballast-drain");
            drain.setDaemon(true);
            drain.start();
        }
        server.setStopTimeout(grace + 1000);
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort; the connections are closed either way
        }
        if (drain != null) {
            try {
                drain.join(grace + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        modelPool.shutdownNow();
    }

    /** The metrics (tests). */
    ServerMetrics metrics() {
        return metrics;
    }

    /** The batch scheduler, or null for a forecaster (tests). */
    BatchScheduler scheduler() {
        return lm == null ? null : lm.scheduler;
    }

    @Override
    public void close() {
        stop(1);
    }
}
