package dev.ballast.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ballast.tokenizer.UnknownSymbolException;
import dev.ballast.lm.generate.SamplingOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/JSON front of an {@link InferenceModel} (JDK's {@code com.sun.net.httpserver}).
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
 * </pre>
 * A server runs either a language model (generate, score) or a {@link ForecastModel} (forecast); the other
 * kind's endpoints answer 404 with a JSON error saying which kind is served.
 * Every request is validated against {@link ServerLimits}; a bad one gets a 4xx with
 * {@code {"error": "one line"}} and the server carries on. Requests run on a fixed pool of threads and
 * share the model, which is thread-safe.
 */
public final class InferenceServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GENERATE_FIELDS = Set.of("prompt", "max_tokens", "temperature", "top_k", "top_p",
            "seed", "stop", "stream");
    private static final Set<String> SCORE_FIELDS = Set.of("text", "per_token");
    private static final int MAX_STOP_STRINGS = 8;
    private static final int MAX_STOP_LENGTH = 64;

    private final InferenceModel model;        // null when serving a forecaster
    private final ForecastModel forecaster;    // null when serving a language model
    private final ServerLimits limits;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger seedCounter = new AtomicInteger();

    private InferenceServer(InferenceModel model, ForecastModel forecaster, ServerLimits limits, HttpServer server,
                            ExecutorService pool) {
        this.model = model;
        this.forecaster = forecaster;
        this.limits = limits;
        this.server = server;
        this.pool = pool;
    }

    /** Binds {@code host:port} (port 0 = any free port) and starts serving. */
    public static InferenceServer start(InferenceModel model, String host, int port, ServerLimits limits) throws IOException {
        return start(model, null, host, port, limits);
    }

    /** Binds {@code host:port} (port 0 = any free port) and serves {@code POST /v1/forecast} for a forecaster. */
    public static InferenceServer start(ForecastModel forecaster, String host, int port, ServerLimits limits) throws IOException {
        return start(null, forecaster, host, port, limits);
    }

    private static InferenceServer start(InferenceModel model, ForecastModel forecaster, String host, int port,
                                         ServerLimits limits) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService pool = Executors.newFixedThreadPool(limits.threads(), r -> {
            Thread t = new Thread(r, "ballast-serve");
            t.setDaemon(true);
            return t;
        });
        InferenceServer s = new InferenceServer(model, forecaster, limits, server, pool);
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) {
        requests.incrementAndGet();
        try (ex) {
            try {
                route(ex);
            } catch (RequestException e) {
                sendError(ex, e.status(), e.getMessage());
            } catch (UnknownSymbolException | dev.ballast.engine.ConfigException e) {
                sendError(ex, 400, e.getMessage());
            } catch (java.io.UncheckedIOException e) {
                // a streaming client went away mid-answer; nothing to answer
            } catch (RuntimeException | Error e) {
                // Never let one request take the server down; the detail stays in the server log.
                System.err.println("ballast serve: internal error on " + ex.getRequestURI().getPath() + ": " + e);
                sendError(ex, 500, "internal error");
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET");
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("status", "ok");
                n.put("requests", requests.get());
                send(ex, 200, n);
            }
            case "/v1/model" -> {
                requireMethod(method, "GET");
                send(ex, 200, model != null ? model.info().toJson() : forecaster.info());
            }
            case "/v1/generate" -> {
                requireMethod(method, "POST");
                requireLanguageModel(path);
                generate(ex, RequestBody.parse(readBody(ex), GENERATE_FIELDS));
            }
            case "/v1/score" -> {
                requireMethod(method, "POST");
                requireLanguageModel(path);
                RequestBody body = RequestBody.parse(readBody(ex), SCORE_FIELDS);
                String text = body.requiredString("text");
                checkTokens("text", text);
                send(ex, 200, Scorer.score(model, text).toJson(body.bool("per_token", false)));
            }
            case "/v1/forecast" -> {
                requireMethod(method, "POST");
                if (forecaster == null) {
                    throw new RequestException(404, "this server serves a language model, not a forecaster: "
                            + "use POST /v1/generate or POST /v1/score");
                }
                send(ex, 200, ForecastEndpoint.handle(forecaster, RequestBody.parse(readBody(ex), ForecastEndpoint.FIELDS), limits));
            }
            default -> throw new RequestException(404, "no endpoint " + truncate(path) + " (endpoints: GET /health, GET /v1/model, "
                    + (model != null ? "POST /v1/generate, POST /v1/score)" : "POST /v1/forecast)"));
        }
    }

    private void requireLanguageModel(String path) {
        if (model == null) {
            throw new RequestException(404, "this server serves a forecaster, not a language model: " + path
                    + " is not available; use POST /v1/forecast");
        }
    }

    private void generate(HttpExchange ex, RequestBody body) throws IOException {
        String prompt = body.string("prompt", "");
        checkTokens("prompt", prompt);
        int maxTokens = body.integer("max_tokens", 100);
        if (maxTokens < 0 || maxTokens > limits.maxNewTokens()) {
            throw new RequestException(400, "field 'max_tokens' must be in [0, " + limits.maxNewTokens() + "], got " + maxTokens);
        }
        double temperature = body.number("temperature", 1.0);
        int topK = body.integer("top_k", 0);
        double topP = body.number("top_p", 1.0);
        SamplingOptions sampling;
        try {
            sampling = new SamplingOptions(temperature, topK, topP);
        } catch (IllegalArgumentException e) {
            // SamplingOptions names the CLI flag; a request names the field.
            throw new RequestException(400, e.getMessage().replace("--temperature", "field 'temperature'")
                    .replace("--top-k", "field 'top_k'").replace("--top-p", "field 'top_p'"));
        }
        Long seed = body.longValue("seed");
        long s = seed != null ? seed : System.nanoTime() ^ seedCounter.incrementAndGet();
        List<String> stop = body.strings("stop", MAX_STOP_STRINGS, MAX_STOP_LENGTH);
        GenerationRequest request = new GenerationRequest(prompt, maxTokens, sampling, s, stop);
        if (!body.bool("stream", false)) {
            send(ex, 200, toJson(Generator.generate(model, request, null)));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson; charset=utf-8");
        ex.sendResponseHeaders(200, 0); // chunked
        OutputStream out = ex.getResponseBody();
        Generation g = Generator.generate(model, request, piece -> {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("text", piece);
            writeLine(out, n);
        });
        ObjectNode last = toJson(g);
        last.put("done", true);
        writeLine(out, last);
        out.close();
    }

    private static void writeLine(OutputStream out, ObjectNode n) {
        try {
            out.write((n.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // client gone: stop generating
        }
    }

    private static ObjectNode toJson(Generation g) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("text", g.text());
        n.put("tokens", g.tokens());
        n.put("stop_reason", g.stopReason());
        n.put("seed", g.seed());
        return n;
    }

    private void checkTokens(String field, String text) {
        // Code points bound the token count of every tokenizer we have; check before encoding anything.
        if (text.length() > 4L * limits.maxInputTokens()) {
            throw new RequestException(400, "field '" + field + "' is longer than " + limits.maxInputTokens() + " tokens");
        }
        int n = model.tokenizer().encode(text).length;
        if (n > limits.maxInputTokens()) {
            throw new RequestException(400, "field '" + field + "' is " + n + " tokens, at most " + limits.maxInputTokens() + " allowed");
        }
    }

    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limits.maxBodyBytes()) {
                    throw new RequestException(413, "request body is larger than " + limits.maxBodyBytes() + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new RequestException(400, "bad Content-Length");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(limits.maxBodyBytes() + 1);
            if (body.length > limits.maxBodyBytes()) {
                throw new RequestException(413, "request body is larger than " + limits.maxBodyBytes() + " bytes");
            }
            return body;
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new RequestException(405, "use " + expected + " here, not " + truncate(method));
        }
    }

    private static void sendError(HttpExchange ex, int status, String message) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", message == null ? "error" : message);
        n.put("status", status);
        try {
            send(ex, status, n);
        } catch (IOException | IllegalStateException e) {
            // headers already sent (a stream broke midway) or the client left
        }
    }

    private static void send(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Stops accepting requests, lets running ones finish for up to {@code graceSeconds}, then stops. */
    public void stop(int graceSeconds) {
        server.stop(graceSeconds);
        pool.shutdown();
        try {
            pool.awaitTermination(graceSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(1);
    }
}
