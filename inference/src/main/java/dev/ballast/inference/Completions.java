package dev.ballast.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.lm.generate.SamplingOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * OpenAI's legacy completions API over the same scheduler: {@code POST /v1/completions} and
 * {@code GET /v1/models}, shaped as OpenAI answers them, so OpenAI's client libraries work unchanged.
 *
 * <p>Request: {@code model} (the id {@code GET /v1/models} lists), {@code prompt} (a string or an array of
 * strings), {@code max_tokens} (default 16), {@code temperature} (0 to 2, default 1), {@code top_p},
 * {@code n}, {@code stop} (a string or up to 4), {@code seed} (choice i of prompt p samples with seed +
 * p * n + i), {@code stream} (server-sent events, ending with {@code data: [DONE]}), {@code stream_options}
 * ({@code include_usage}), {@code logprobs} (0 to 5 alternatives), {@code echo}, {@code user} (ignored),
 * and Ballast's {@code top_k}. {@code presence_penalty} and {@code frequency_penalty} must be 0,
 * {@code best_of} 1 (or n), {@code logit_bias} empty and {@code suffix} absent: anything else is a 400,
 * never silently ignored. Errors are the server's usual {@code {"error": "...", "status": n}}.
 */
final class Completions {

    static final Set<String> FIELDS = Set.of("model", "prompt", "max_tokens", "temperature", "top_p", "top_k", "n",
            "stop", "seed", "stream", "stream_options", "logprobs", "echo", "user", "presence_penalty",
            "frequency_penalty", "best_of", "logit_bias", "suffix");
    static final int MAX_LOGPROBS = 5;
    static final int MAX_STOP = 4;
    static final int MAX_PROMPTS = 16;

    private final LanguageEndpoints lm;
    private final String modelId;
    private final long created;
    private final SecureRandom random = new SecureRandom();

    Completions(LanguageEndpoints lm) {
        this.lm = lm;
        this.modelId = modelId(lm.model.info().source());
        this.created = System.currentTimeMillis() / 1000;
    }

    /** The model's id: the .onnx file's name without extension, or the run directory's name. */
    static String modelId(String source) {
        Path p = Path.of(source).normalize();
        String name = p.getFileName() == null ? "ballast" : p.getFileName().toString();
        if (name.endsWith(".onnx")) {
            return name.substring(0, name.length() - 5);
        }
        // a checkpoint inside a run (RUN/checkpoints/NAME): name the run
        Path parent = p.getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("checkpoints")
                && parent.getParent() != null && parent.getParent().getFileName() != null) {
            return parent.getParent().getFileName().toString();
        }
        return name;
    }

    String modelId() {
        return modelId;
    }

    void models(InferenceServer.Exchange ex) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("object", "list");
        ObjectNode m = n.putArray("data").addObject();
        m.put("id", modelId);
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "ballast");
        ex.send(200, n);
    }

    private record Params(List<String> prompts, int[] promptTokens, GenerateParams gen, boolean echo,
                          boolean includeUsage) {
    }

    void completions(InferenceServer.Exchange ex, byte[] bytes) {
        RequestBody body = RequestBody.parse(bytes, FIELDS);
        Params p = parse(body);
        String id = "cmpl-" + HexFormat.of().formatHex(randomBytes());
        long now = System.currentTimeMillis() / 1000;
        int n = p.gen().n();
        int width = p.prompts().size() * n;
        if (width > lm.scheduler.maxStreams()) {
            throw new RequestException(400, "prompts times 'n' is " + width + ", at most " + lm.scheduler.maxStreams()
                    + " samples per request (--max-streams)");
        }
        Reply reply = new Reply(ex, id, now, p);
        GenerationRequest req = p.gen().request();
        GenerateJob job = new GenerateJob(lm.timeoutNanos(), width, i -> new GenerateStream(lm.model, lm.zeroState(),
                lm.zeroCell(), req, i, req.seed() + i, p.gen().logProbs(), p.gen().stream() ? reply : null, lm.metrics,
                p.prompts().get(i / n), null, null), reply);
        reply.start(job);
        lm.submit(ex, job);
    }

    private byte[] randomBytes() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return b;
    }

    private Params parse(RequestBody body) {
        JsonNode model = body.node("model");
        if (model == null || model.isNull()) {
            throw new RequestException(400, "missing field 'model' (this server has '" + modelId + "'; see GET /v1/models)");
        }
        if (!model.isTextual()) {
            throw new RequestException(400, "field 'model' must be a string");
        }
        if (!model.textValue().equals(modelId)) {
            throw new RequestException(404, "no model '" + LanguageEndpoints.truncate(model.textValue())
                    + "' here: this server has '" + modelId + "' (GET /v1/models)");
        }
        List<String> prompts = prompts(body.node("prompt"));
        int[] promptTokens = new int[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            promptTokens[i] = Math.max(1, lm.encode("prompt", prompts.get(i)).length);
        }
        int maxTokens = body.integer("max_tokens", 16);
        if (maxTokens < 0 || maxTokens > lm.limits.maxNewTokens()) {
            throw new RequestException(400, "field 'max_tokens' must be in [0, " + lm.limits.maxNewTokens() + "], got " + maxTokens);
        }
        double temperature = body.number("temperature", 1.0);
        if (temperature < 0 || temperature > 2) {
            throw new RequestException(400, "field 'temperature' must be in [0, 2], got " + temperature);
        }
        SamplingOptions sampling = GenerateParams.sampling(temperature, body.integer("top_k", 0), body.number("top_p", 1.0));
        int n = body.integer("n", 1);
        if (n < 1 || n > lm.scheduler.maxStreams()) {
            throw new RequestException(400, "field 'n' must be in [1, " + lm.scheduler.maxStreams() + "], got " + n);
        }
        List<String> stop = stop(body.node("stop"));
        Long seed = body.longValue("seed");
        long s = seed != null ? seed : lm.seeds.getAsLong();
        int logProbs = -1;
        JsonNode lp = body.node("logprobs");
        if (lp != null && !lp.isNull()) {
            if (!lp.isIntegralNumber() || !lp.canConvertToInt() || lp.intValue() < 0 || lp.intValue() > MAX_LOGPROBS) {
                throw new RequestException(400, "field 'logprobs' must be an integer in [0, " + MAX_LOGPROBS + "]");
            }
            logProbs = lp.intValue();
        }
        boolean stream = body.bool("stream", false);
        boolean includeUsage = false;
        JsonNode so = body.object("stream_options");
        if (so != null) {
            for (var it = so.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("include_usage")) {
                    throw new RequestException(400, "unknown field 'stream_options." + LanguageEndpoints.truncate(f) + "'");
                }
            }
            JsonNode iu = so.get("include_usage");
            if (iu != null && !iu.isNull() && !iu.isBoolean()) {
                throw new RequestException(400, "field 'stream_options.include_usage' must be true or false");
            }
            includeUsage = iu != null && iu.asBoolean(false);
        }
        boolean echo = body.bool("echo", false);
        body.string("user", "");
        for (String f : new String[] {"presence_penalty", "frequency_penalty"}) {
            if (body.number(f, 0) != 0) {
                throw new RequestException(400, "field '" + f + "' is not supported (only 0)");
            }
        }
        int bestOf = body.integer("best_of", n);
        if (bestOf != n && bestOf != 1) {
            throw new RequestException(400, "field 'best_of' is not supported (only 1 or n)");
        }
        JsonNode bias = body.object("logit_bias");
        if (bias != null && bias.size() > 0) {
            throw new RequestException(400, "field 'logit_bias' is not supported");
        }
        if (body.has("suffix") && !body.node("suffix").isNull()) {
            throw new RequestException(400, "field 'suffix' is not supported");
        }
        GenerationRequest req = new GenerationRequest(prompts.get(0), maxTokens, sampling, s, stop);
        return new Params(prompts, promptTokens, new GenerateParams(req, n, logProbs, stream), echo, includeUsage);
    }

    private static List<String> prompts(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) {
            return List.of("");
        }
        if (prompt.isTextual()) {
            return List.of(prompt.textValue());
        }
        if (prompt.isArray() && prompt.size() >= 1 && prompt.size() <= MAX_PROMPTS) {
            List<String> out = new ArrayList<>();
            for (JsonNode e : prompt) {
                if (!e.isTextual()) {
                    throw new RequestException(400, "field 'prompt' must be a string or an array of strings "
                            + "(token-id prompts are not supported)");
                }
                out.add(e.textValue());
            }
            return out;
        }
        throw new RequestException(400, "field 'prompt' must be a string or an array of 1 to " + MAX_PROMPTS + " strings");
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (stop.isTextual()) {
            out.add(stop.textValue());
        } else if (stop.isArray() && stop.size() <= MAX_STOP) {
            for (JsonNode e : stop) {
                if (!e.isTextual()) {
                    out.clear();
                    out.add("");
                    break;
                }
                out.add(e.textValue());
            }
        } else {
            throw new RequestException(400, "field 'stop' must be a string or an array of at most " + MAX_STOP + " strings");
        }
        for (String s : out) {
            if (s.isEmpty() || s.length() > GenerateParams.MAX_STOP_LENGTH) {
                throw new RequestException(400, "field 'stop' must hold non-empty strings of at most "
                        + GenerateParams.MAX_STOP_LENGTH + " characters");
            }
        }
        return out;
    }

    /** Answers one completion request, whole or as server-sent events. */
    private final class Reply implements GenerateJob.Handler, GenerateStream.Listener {
        private final InferenceServer.Exchange ex;
        private final String id;
        private final long created;
        private final Params params;
        private StreamWriter writer;
        private final int[] offsets; // text offset per choice, for streamed logprobs
        private final boolean[] echoPending; // streamed echo: the choice's prompt is still to be sent

        Reply(InferenceServer.Exchange ex, String id, long created, Params params) {
            this.ex = ex;
            this.id = id;
            this.created = created;
            this.params = params;
            this.offsets = new int[params.prompts().size() * params.gen().n()];
            this.echoPending = new boolean[offsets.length];
        }

        void start(BatchJob job) {
            if (!params.gen().stream()) {
                return;
            }
            ex.response().setStatus(200);
            ex.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            ex.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            writer = new StreamWriter(ex.response(), ex.callback(), job::cancel);
            if (params.echo()) {
                // The prompt goes out with each choice's first piece: nothing is written before the job is
                // queued, so a refused request (503) can still answer with its status.
                for (int i = 0; i < offsets.length; i++) {
                    offsets[i] = params.prompts().get(i / params.gen().n()).length();
                    echoPending[i] = true;
                }
            }
        }

        /** The prompt when choice {@code index} has not sent it yet (echo), else "". */
        private String takeEcho(int index) {
            if (!echoPending[index]) {
                return "";
            }
            echoPending[index] = false;
            return params.prompts().get(index / params.gen().n());
        }

        private ObjectNode envelope() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("id", id);
            n.put("object", "text_completion");
            n.put("created", created);
            n.put("model", modelId);
            return n;
        }

        private ObjectNode chunk(int index, String text, ObjectNode logprobs, String finishReason) {
            ObjectNode n = envelope();
            ObjectNode c = n.putArray("choices").addObject();
            c.put("text", text);
            c.put("index", index);
            c.set("logprobs", logprobs == null ? JsonNodeFactory.instance.nullNode() : logprobs);
            if (finishReason == null) {
                c.putNull("finish_reason");
            } else {
                c.put("finish_reason", finishReason);
            }
            return n;
        }

        private void event(ObjectNode n) {
            writer.write("data: " + n + "\n\n");
        }

        @Override
        public void piece(GenerateStream stream, String text, List<TokenLogProb> tokens) {
            String echo = takeEcho(stream.index);
            if (echo.isEmpty() && text.isEmpty() && tokens.isEmpty()) {
                return;
            }
            ObjectNode lp = params.gen().logProbs() >= 0 ? logprobs(tokens, stream.index) : null;
            offsets[stream.index] += text.length();
            event(chunk(stream.index, echo + text, lp, null));
        }

        @Override
        public void completed(List<GenerateStream> streams) {
            if (writer == null) {
                ObjectNode n = envelope();
                ArrayNode choices = n.putArray("choices");
                for (GenerateStream s : streams) {
                    String prompt = params.prompts().get(s.index / params.gen().n());
                    ObjectNode c = choices.addObject();
                    c.put("text", (params.echo() ? prompt : "") + s.result().text());
                    c.put("index", s.index);
                    if (params.gen().logProbs() >= 0) {
                        offsets[s.index] = params.echo() ? prompt.length() : 0;
                        c.set("logprobs", logprobs(s.logProbs(), s.index));
                    } else {
                        c.putNull("logprobs");
                    }
                    c.put("finish_reason", s.result().stopped() ? "stop" : "length");
                }
                n.set("usage", usage(streams));
                ex.send(200, n);
                return;
            }
            for (GenerateStream s : streams) {
                event(chunk(s.index, takeEcho(s.index), null, s.result().stopped() ? "stop" : "length"));
            }
            if (params.includeUsage()) {
                ObjectNode n = envelope();
                n.putArray("choices");
                n.set("usage", usage(streams));
                event(n);
            }
            writer.close("data: [DONE]\n\n");
        }

        @Override
        public void aborted(BatchJob.Abort reason, Throwable error, List<GenerateStream> streams) {
            if (writer == null || !writer.started() && reason != BatchJob.Abort.CANCELLED) {
                if (writer != null) {
                    writer.abort(new IOException("replaced by an error"));
                }
                lm.abortReply(ex, reason, error);
            } else if (reason == BatchJob.Abort.CANCELLED) {
                writer.abort(new IOException("the client went away"));
            } else {
                // OpenAI's clients raise an error event as an APIError.
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                ObjectNode e = n.putObject("error");
                int status = reason == BatchJob.Abort.TIMEOUT ? 504 : reason == BatchJob.Abort.SHUTDOWN ? 503 : 500;
                e.put("message", reason == BatchJob.Abort.TIMEOUT
                        ? "the request did not finish within " + lm.limits.requestTimeoutSeconds() + " s"
                        : reason == BatchJob.Abort.SHUTDOWN ? "the server is shutting down" : "internal error");
                e.put("type", LanguageEndpoints.stopReason(reason));
                e.put("code", status);
                writer.write("data: " + n + "\n\n");
                writer.close("data: [DONE]\n\n");
            }
        }

        private ObjectNode usage(List<GenerateStream> streams) {
            int prompt = 0;
            for (int t : params.promptTokens()) {
                prompt += t;
            }
            int completion = 0;
            for (GenerateStream s : streams) {
                completion += s.result().tokens();
            }
            ObjectNode u = JsonNodeFactory.instance.objectNode();
            u.put("prompt_tokens", prompt);
            u.put("completion_tokens", completion);
            u.put("total_tokens", prompt + completion);
            return u;
        }

        /** OpenAI's logprobs object: tokens, token_logprobs, top_logprobs (null unless asked), text_offset. */
        private ObjectNode logprobs(List<TokenLogProb> tokens, int index) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            ArrayNode toks = n.putArray("tokens");
            ArrayNode lps = n.putArray("token_logprobs");
            ArrayNode offs = n.putArray("text_offset");
            boolean top = params.gen().logProbs() > 0;
            ArrayNode tops = top ? n.putArray("top_logprobs") : null;
            if (!top) {
                n.putNull("top_logprobs");
            }
            int offset = offsets[index];
            for (TokenLogProb t : tokens) {
                toks.add(t.text());
                lps.add(t.logProb());
                offs.add(offset);
                offset += t.text().length();
                if (top) {
                    ObjectNode m = tops.addObject();
                    for (TokenLogProb a : t.top()) {
                        m.put(a.text(), a.logProb());
                    }
                }
            }
            return n;
        }
    }
}
