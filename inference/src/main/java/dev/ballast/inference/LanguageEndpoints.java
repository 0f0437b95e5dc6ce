package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.ModelConfig;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The language-model endpoints, all run by the {@link BatchScheduler}: {@code POST /v1/generate},
 * {@code POST /v1/score}, the sessions under {@code /v1/sessions}, and (through {@link Completions}) the
 * OpenAI-compatible {@code POST /v1/completions} and {@code GET /v1/models}. A handler checks the request
 * on a server thread, submits a job and returns; the scheduler thread answers when the job ends.
 */
final class LanguageEndpoints {

    static final Set<String> SCORE_FIELDS = Set.of("text", "per_token");
    static final Set<String> SESSION_CREATE_FIELDS = Set.of("prompt");
    static final Set<String> SESSION_FEED_FIELDS = Set.of("text");
    static final Set<String> SESSION_GENERATE_FIELDS = Set.of("max_tokens", "temperature", "top_k", "top_p", "seed",
            "stop", "stream", "n", "logprobs");

    final InferenceModel model;
    final ServerLimits limits;
    final BatchScheduler scheduler;
    final SessionStore sessions;
    final ServerMetrics metrics;
    /** The server's mapping of an exception to an answer. */
    final BiConsumer<InferenceServer.Exchange, Throwable> fail;
    final LongSupplier seeds;
    private final int stateSize;
    private final boolean lstm;

    LanguageEndpoints(InferenceModel model, ServerLimits limits, ServerMetrics metrics,
                      BiConsumer<InferenceServer.Exchange, Throwable> fail, LongSupplier seeds) {
        this.model = model;
        this.limits = limits;
        this.metrics = metrics;
        this.fail = fail;
        this.seeds = seeds;
        ModelConfig cfg = model.config();
        this.stateSize = cfg.layers() * cfg.hidden();
        this.lstm = cfg.cell() == CellType.LSTM;
        this.scheduler = new BatchScheduler(model, limits.maxStreams(), limits.maxQueue(), limits.prefillChunk(), metrics);
        this.sessions = new SessionStore(cfg, limits.maxSessions(), limits.sessionIdleSeconds(), metrics);
    }

    long timeoutNanos() {
        return TimeUnit.SECONDS.toNanos(limits.requestTimeoutSeconds());
    }

    float[] zeroState() {
        return new float[stateSize];
    }

    float[] zeroCell() {
        return lstm ? new float[stateSize] : null;
    }

    /** The text's ids, checked against --max-input-tokens. */
    int[] encode(String field, String text) {
        // Code points bound the token count of every tokenizer we have; check before encoding anything.
        if (text.length() > 4L * limits.maxInputTokens()) {
            throw new RequestException(400, "field '" + field + "' is longer than " + limits.maxInputTokens() + " tokens");
        }
        int[] ids = model.tokenizer().encode(text);
        if (ids.length > limits.maxInputTokens()) {
            throw new RequestException(400, "field '" + field + "' is " + ids.length + " tokens, at most "
                    + limits.maxInputTokens() + " allowed");
        }
        return ids;
    }

    /** Queues a job; a full queue is a 503 with Retry-After. A client that goes away cancels its job. */
    void submit(InferenceServer.Exchange ex, BatchJob job) {
        // Before submitting: once the job is in, it may answer (and complete the request) at any moment.
        ex.request().addFailureListener(t -> job.cancel());
        try {
            scheduler.submit(job);
        } catch (BatchScheduler.QueueFull e) {
            ex.response().getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            throw new RequestException(503, e.getMessage());
        } catch (BatchScheduler.Closed e) {
            throw new RequestException(503, e.getMessage());
        }
    }

    /** The answer to a job that ended early, before anything of it was sent. */
    void abortReply(InferenceServer.Exchange ex, BatchJob.Abort reason, Throwable error) {
        switch (reason) {
            case TIMEOUT -> ex.error(504, "the request did not finish within " + limits.requestTimeoutSeconds()
                    + " s (--request-timeout)");
            case SHUTDOWN -> ex.error(503, "the server is shutting down");
            case CANCELLED -> ex.callback().failed(new IOException("the client went away"));
            case ERROR -> fail.accept(ex, error);
        }
    }

    static String stopReason(BatchJob.Abort reason) {
        return switch (reason) {
            case TIMEOUT -> "timeout";
            case SHUTDOWN -> "shutdown";
            case CANCELLED -> "cancelled";
            case ERROR -> "error";
        };
    }

    // ---- POST /v1/generate ----

    void generate(InferenceServer.Exchange ex, byte[] bytes) {
        RequestBody body = RequestBody.parse(bytes, GenerateParams.FIELDS);
        String prompt = body.string("prompt", "");
        encode("prompt", prompt);
        GenerateParams p = GenerateParams.parse(body, prompt, limits, scheduler.maxStreams(), seeds);
        NativeReply reply = new NativeReply(ex, p, null);
        GenerateJob job = new GenerateJob(timeoutNanos(), p.n(), i -> new GenerateStream(model, zeroState(), zeroCell(),
                p.request(), i, p.request().seed() + i, p.logProbs(), p.stream() ? reply : null, metrics, prompt, null, null),
                reply);
        reply.start(job);
        submit(ex, job);
    }

    /**
     * The native answer: {@code {"text", "tokens", "stop_reason", "seed"}} (and {@code log_probs}) for one
     * sample, {@code {"choices": [...]}} with an {@code index} each for several; streamed as NDJSON pieces
     * ({@code {"text"}}, with {@code "index"} for several samples) and then the same final object with
     * {@code "done": true}.
     */
    final class NativeReply implements GenerateJob.Handler, GenerateStream.Listener {
        private final InferenceServer.Exchange ex;
        private final GenerateParams params;
        private final Runnable after; // e.g. release a session; may be null
        private StreamWriter writer;

        NativeReply(InferenceServer.Exchange ex, GenerateParams params, Runnable after) {
            this.ex = ex;
            this.params = params;
            this.after = after;
        }

        void start(BatchJob job) {
            if (params.stream()) {
                ex.response().setStatus(200);
                ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson; charset=utf-8");
                writer = new StreamWriter(ex.response(), ex.callback(), job::cancel);
            }
        }

        @Override
        public void piece(GenerateStream stream, String text, List<TokenLogProb> tokens) {
            if (text.isEmpty() && tokens.isEmpty()) {
                return;
            }
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            if (params.n() > 1) {
                n.put("index", stream.index);
            }
            n.put("text", text);
            if (params.logProbs() >= 0) {
                ArrayNode arr = n.putArray("log_probs");
                tokens.forEach(t -> arr.add(t.toJson()));
            }
            writer.write(n + "\n");
        }

        @Override
        public void completed(List<GenerateStream> streams) {
            finish();
            ObjectNode n = result(streams, null);
            if (writer == null) {
                ex.send(200, n);
            } else {
                n.put("done", true);
                writer.close(n + "\n");
            }
        }

        @Override
        public void aborted(BatchJob.Abort reason, Throwable error, List<GenerateStream> streams) {
            finish();
            if (writer == null || !writer.started() && reason != BatchJob.Abort.CANCELLED) {
                if (writer != null) {
                    writer.abort(new IOException("replaced by an error"));
                }
                abortReply(ex, reason, error);
            } else if (reason == BatchJob.Abort.CANCELLED) {
                writer.abort(new IOException("the client went away"));
            } else {
                ObjectNode n = result(streams, stopReason(reason));
                n.put("done", true);
                writer.close(n + "\n");
            }
        }

        private void finish() {
            if (after != null) {
                after.run();
            }
        }

        private ObjectNode result(List<GenerateStream> streams, String abortReason) {
            if (params.n() == 1 && !streams.isEmpty()) {
                return choice(streams.get(0), abortReason, false);
            }
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            ArrayNode arr = n.putArray("choices");
            for (GenerateStream s : streams) {
                arr.add(choice(s, abortReason, true));
            }
            return n;
        }

        private ObjectNode choice(GenerateStream s, String abortReason, boolean indexed) {
            Generation g = s.generation();
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            if (indexed) {
                n.put("index", s.index);
            }
            n.put("text", g.text());
            n.put("tokens", g.tokens());
            n.put("stop_reason", abortReason != null && !s.done ? abortReason : g.stopReason());
            n.put("seed", g.seed());
            if (params.logProbs() >= 0) {
                ArrayNode arr = n.putArray("log_probs");
                s.logProbs().forEach(t -> arr.add(t.toJson()));
            }
            return n;
        }
    }

    // ---- POST /v1/score ----

    void score(InferenceServer.Exchange ex, byte[] bytes) {
        RequestBody body = RequestBody.parse(bytes, SCORE_FIELDS);
        String text = body.requiredString("text");
        encode("text", text);
        boolean perToken = body.bool("per_token", false);
        Scorer.Prepared prepared = Scorer.prepare(model.tokenizer(), text);
        submit(ex, new SimpleJob<>(timeoutNanos(), () -> new ScoreStream(model, prepared, metrics),
                s -> ex.send(200, s.score().toJson(perToken)), (reason, error) -> abortReply(ex, reason, error)));
    }

    // ---- /v1/sessions ----

    /** Routes {@code /v1/sessions} and {@code /v1/sessions/ID[/ACTION]}. */
    void sessions(InferenceServer.Exchange ex, String rest, InferenceServer.BodyRunner withBody) {
        String method = ex.request().getMethod();
        if (rest.isEmpty()) {
            switch (method) {
                case "POST" -> withBody.run(ex, bytes -> createSession(ex, bytes));
                case "GET" -> ex.send(200, listSessions());
                default -> throw new RequestException(405, "use POST (create) or GET (list) here, not " + truncate(method));
            }
            return;
        }
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        String action = slash < 0 ? "" : rest.substring(slash + 1);
        switch (action) {
            case "" -> {
                switch (method) {
                    case "GET" -> ex.send(200, sessionInfo(find(id)));
                    case "DELETE" -> {
                        if (!sessions.delete(id)) {
                            throw new RequestException(404, "no session " + truncate(id));
                        }
                        ObjectNode n = JsonNodeFactory.instance.objectNode();
                        n.put("id", id);
                        n.put("deleted", true);
                        ex.send(200, n);
                    }
                    default -> throw new RequestException(405, "use GET or DELETE here, not " + truncate(method));
                }
            }
            case "feed" -> {
                requirePost(method);
                withBody.run(ex, bytes -> feed(ex, id, bytes));
            }
            case "generate" -> {
                requirePost(method);
                withBody.run(ex, bytes -> sessionGenerate(ex, id, bytes));
            }
            case "logprobs" -> {
                if (!method.equals("GET")) {
                    throw new RequestException(405, "use GET here, not " + truncate(method));
                }
                ex.send(200, nextLogProbs(ex.request(), find(id)));
            }
            default -> throw new RequestException(404, "no endpoint /v1/sessions/ID/" + truncate(action)
                    + " (a session has feed, generate and logprobs)");
        }
    }

    private static void requirePost(String method) {
        if (!method.equals("POST")) {
            throw new RequestException(405, "use POST here, not " + truncate(method));
        }
    }

    private SessionStore.Session find(String id) {
        return sessions.get(id);
    }

    private void createSession(InferenceServer.Exchange ex, byte[] bytes) {
        // No body at all is an empty session, as {} is (so "curl -X POST .../v1/sessions" works).
        RequestBody body = RequestBody.parse(bytes.length == 0 ? new byte[] {'{', '}'} : bytes, SESSION_CREATE_FIELDS);
        String prompt = body.string("prompt", "");
        int[] ids = encode("prompt", prompt);
        SessionStore.Session s = sessions.create();
        if (ids.length == 0) {
            sessions.release(s);
            ex.send(201, sessionInfo(s));
            return;
        }
        try {
            submit(ex, new SimpleJob<>(timeoutNanos(), () -> new FeedStream(s, ids, metrics), f -> {
                f.commit();
                sessions.release(s);
                ex.send(201, sessionInfo(s));
            }, (reason, error) -> {
                sessions.delete(s.id);
                abortReply(ex, reason, error);
            }));
        } catch (RuntimeException e) {
            sessions.delete(s.id);
            throw e;
        }
    }

    private void feed(InferenceServer.Exchange ex, String id, byte[] bytes) {
        RequestBody body = RequestBody.parse(bytes, SESSION_FEED_FIELDS);
        String text = body.requiredString("text");
        int[] ids = encode("text", text);
        if (ids.length == 0) {
            throw new RequestException(400, "field 'text' holds no token");
        }
        SessionStore.Session s = sessions.acquire(id);
        try {
            submit(ex, new SimpleJob<>(timeoutNanos(), () -> new FeedStream(s, ids, metrics), f -> {
                f.commit();
                sessions.release(s);
                ObjectNode n = sessionInfo(s);
                n.put("fed", ids.length);
                ex.send(200, n);
            }, (reason, error) -> {
                sessions.release(s);
                abortReply(ex, reason, error);
            }));
        } catch (RuntimeException e) {
            sessions.release(s);
            throw e;
        }
    }

    /** Generates from the session's state without changing it: feed the text you keep to continue it. */
    private void sessionGenerate(InferenceServer.Exchange ex, String id, byte[] bytes) {
        RequestBody body = RequestBody.parse(bytes, SESSION_GENERATE_FIELDS);
        GenerateParams p = GenerateParams.parse(body, "", limits, scheduler.maxStreams(), seeds);
        SessionStore.Session s = sessions.acquire(id);
        try {
            float[] next = s.next;
            int[] context = s.context;
            float[] h = s.h.clone();
            float[] c = s.c == null ? null : s.c.clone();
            NativeReply reply = new NativeReply(ex, p, () -> sessions.release(s));
            GenerateJob job = new GenerateJob(timeoutNanos(), p.n(), i -> new GenerateStream(model, h.clone(),
                    c == null ? null : c.clone(), p.request(), i, p.request().seed() + i, p.logProbs(),
                    p.stream() ? reply : null, metrics,
                    next == null ? "" : null, context, next == null ? null : next.clone()), reply);
            reply.start(job);
            submit(ex, job);
        } catch (RuntimeException e) {
            sessions.release(s);
            throw e;
        }
    }

    private ObjectNode nextLogProbs(Request request, SessionStore.Session s) {
        float[] next = s.next;
        if (next == null) {
            throw new RequestException(409, "session " + s.id + " has read no text yet: feed it some first");
        }
        int vocab = next.length;
        int top = 10;
        Fields query = Request.extractQueryParameters(request);
        String t = query.getValue("top");
        if (t != null) {
            try {
                top = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                top = -1;
            }
            if (top < 0) {
                throw new RequestException(400, "query parameter 'top' must be a whole number (0 = the whole vocabulary)");
            }
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", s.id);
        n.put("tokens", s.tokens);
        ArrayNode arr = n.putArray("next");
        for (TokenLogProb p : TokenLogProb.top(model.tokenizer(), next, 0, vocab, top == 0 ? vocab : top)) {
            ObjectNode e = arr.addObject();
            e.put("token", p.text());
            e.put("id", p.id());
            e.put("log_prob", p.logProb());
        }
        return n;
    }

    private ObjectNode sessionInfo(SessionStore.Session s) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", s.id);
        n.put("tokens", s.tokens);
        n.put("memory_bytes", sessions.bytesPerSession());
        n.put("idle_timeout_seconds", sessions.idleSeconds());
        n.put("created", s.created / 1000);
        return n;
    }

    private ObjectNode listSessions() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        List<SessionStore.Session> all = sessions.list();
        n.put("count", all.size());
        n.put("max", sessions.max());
        n.put("memory_bytes_each", sessions.bytesPerSession());
        n.put("memory_bytes", all.size() * sessions.bytesPerSession());
        n.put("idle_timeout_seconds", sessions.idleSeconds());
        ArrayNode arr = n.putArray("sessions");
        for (SessionStore.Session s : all) {
            arr.add(sessionInfo(s));
        }
        return n;
    }

    static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Stops taking work, lets running jobs finish for up to {@code graceMillis}, then ends the rest. */
    void shutdown(long graceMillis) {
        scheduler.shutdown(graceMillis, graceMillis + 5000);
    }
}
