package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving features on top of the batch scheduler, over loopback HTTP: {@code n} samples and log-probs,
 * sessions, OpenAI's completions, {@code /metrics} (parsed strictly), back-pressure, timeouts and a
 * graceful stop.
 */
class BatchingServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Only characters of the tiny model's vocabulary. */
    static final String TEXT = "To be, or not to be, that is the question.";

    @TempDir
    static Path tmp;
    static InferenceModel model;
    static InferenceServer server;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    }

    @BeforeAll
    static void start() throws Exception {
        model = TinyLanguageModel.open(tmp);
        server = InferenceServer.start(model, "127.0.0.1", 0, new ServerLimits(64 * 1024, 4096, 2048, 4));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    static HttpResponse<String> send(InferenceServer s, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(java.time.Duration.ofSeconds(60));
        b = switch (method) {
            case "GET" -> b.GET();
            case "DELETE" -> b.DELETE();
            default -> b.method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        };
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Reply call(InferenceServer s, String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(s, method, path, body);
        String text = r.body();
        JsonNode json = null;
        if (r.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            json = JSON.readTree(text);
        }
        return new Reply(r.statusCode(), json, r);
    }

    static Reply post(String path, String body) throws Exception {
        return call(server, "POST", path, body);
    }

    static Reply get(String path) throws Exception {
        return call(server, "GET", path, null);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        fail("timed out waiting: " + what);
    }

    // ---- n samples and log-probabilities ----

    @Test
    void nSamplesAreTheSingleRequestsWithSeedsSeedToSeedPlusNMinusOne() throws Exception {
        Reply r = post("/v1/generate", "{\"prompt\": \"To be\", \"max_tokens\": 12, \"seed\": 3, \"n\": 3, \"logprobs\": 2,"
                + " \"temperature\": 0.9}");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        JsonNode choices = r.body().get("choices");
        assertEquals(3, choices.size());
        for (int i = 0; i < 3; i++) {
            JsonNode c = choices.get(i);
            assertEquals(i, c.get("index").asInt());
            JsonNode alone = post("/v1/generate", "{\"prompt\": \"To be\", \"max_tokens\": 12, \"seed\": " + (3 + i)
                    + ", \"temperature\": 0.9}").body();
            assertEquals(alone.get("text"), c.get("text"));
            assertEquals(3 + i, c.get("seed").asLong());
            JsonNode lps = c.get("log_probs");
            assertEquals(12, lps.size());
            StringBuilder joined = new StringBuilder();
            for (JsonNode t : lps) {
                assertTrue(t.get("log_prob").asDouble() <= 0);
                assertEquals(2, t.get("top").size());
                assertTrue(t.get("top").get(0).get("log_prob").asDouble() >= t.get("log_prob").asDouble());
                joined.append(t.get("token").asText());
            }
            assertEquals(c.get("text").asText(), joined.toString());
        }
        assertEquals(400, post("/v1/generate", "{\"n\": 0}").status());
        assertEquals(400, post("/v1/generate", "{\"n\": 65}").status(), "more than --max-streams");
        assertEquals(400, post("/v1/generate", "{\"logprobs\": 21}").status());
        assertEquals(400, post("/v1/generate", "{\"logprobs\": \"yes\"}").status());
    }

    @Test
    void streamedSamplesCarryTheirIndex() throws Exception {
        HttpResponse<String> r = send(server, "POST", "/v1/generate",
                "{\"prompt\": \"To\", \"max_tokens\": 9, \"seed\": 11, \"n\": 2, \"stream\": true, \"logprobs\": true}");
        assertEquals(200, r.statusCode());
        List<String> lines = r.body().lines().toList();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertTrue(last.get("done").asBoolean());
        StringBuilder[] joined = {new StringBuilder(), new StringBuilder()};
        int[] tokens = new int[2];
        for (String line : lines.subList(0, lines.size() - 1)) {
            JsonNode n = JSON.readTree(line);
            int i = n.get("index").asInt();
            joined[i].append(n.get("text").asText());
            tokens[i] += n.get("log_probs").size();
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(last.get("choices").get(i).get("text").asText(), joined[i].toString());
            assertEquals(9, tokens[i]);
        }
    }

    // ---- sessions ----

    @Test
    void aSessionFedInFivePiecesPredictsWhatTheWholeTextPredicts() throws Exception {
        Reply whole = post("/v1/sessions", "{\"prompt\": \"" + TEXT + "\"}");
        assertEquals(201, whole.status(), String.valueOf(whole.body()));
        String wholeId = whole.body().get("id").asText();
        assertEquals(TEXT.length(), whole.body().get("tokens").asInt());
        assertTrue(whole.body().get("memory_bytes").asLong() > 0);

        Reply empty = post("/v1/sessions", "");
        assertEquals(201, empty.status(), String.valueOf(empty.body()));
        String id = empty.body().get("id").asText();
        assertEquals(409, get("/v1/sessions/" + id + "/logprobs").status(), "no text read yet");
        int[] cuts = {0, 2, 3, 17, 30, TEXT.length()};
        for (int i = 0; i < 5; i++) {
            Reply f = post("/v1/sessions/" + id + "/feed", "{\"text\": \"" + TEXT.substring(cuts[i], cuts[i + 1]) + "\"}");
            assertEquals(200, f.status(), String.valueOf(f.body()));
            assertEquals(cuts[i + 1], f.body().get("tokens").asInt());
        }
        JsonNode a = get("/v1/sessions/" + wholeId + "/logprobs?top=0").body();
        JsonNode b = get("/v1/sessions/" + id + "/logprobs?top=0").body();
        assertEquals(model.config().vocabSize(), a.get("next").size());
        assertEquals(a.get("next"), b.get("next"));
        assertEquals(3, get("/v1/sessions/" + id + "/logprobs?top=3").body().get("next").size());
        assertEquals(400, get("/v1/sessions/" + id + "/logprobs?top=x").status());

        // generating from the state is what /v1/generate gives for the whole text as the prompt, and leaves it as it was
        String params = "\"max_tokens\": 10, \"seed\": 5, \"temperature\": 0.8";
        Reply g = post("/v1/sessions/" + id + "/generate", "{" + params + "}");
        assertEquals(200, g.status(), String.valueOf(g.body()));
        assertEquals(post("/v1/generate", "{\"prompt\": \"" + TEXT + "\", " + params + "}").body().get("text"),
                g.body().get("text"));
        assertEquals(b.get("next"), get("/v1/sessions/" + id + "/logprobs?top=0").body().get("next"));

        JsonNode list = get("/v1/sessions").body();
        assertTrue(list.get("count").asInt() >= 2);
        assertEquals(list.get("count").asLong() * list.get("memory_bytes_each").asLong(), list.get("memory_bytes").asLong());

        for (String s : List.of(id, wholeId)) {
            assertEquals(200, call(server, "DELETE", "/v1/sessions/" + s, null).status());
            assertEquals(404, get("/v1/sessions/" + s).status());
            assertEquals(404, post("/v1/sessions/" + s + "/feed", "{\"text\": \"To\"}").status());
            assertEquals(404, call(server, "DELETE", "/v1/sessions/" + s, null).status());
        }
        assertEquals(400, post("/v1/sessions", "{\"prompt\": \"Жизнь\"}").status(), "unknown symbol");
        assertEquals(400, post("/v1/sessions", "{\"text\": \"To\"}").status(), "unknown field");
        assertEquals(404, get("/v1/sessions/sess_nope/logprobs").status());
        assertEquals(404, get("/v1/sessions/x/nothing").status());
        assertEquals(405, call(server, "PUT", "/v1/sessions", "{}").status());
    }

    @Test
    void anEmptySessionGeneratesAsAnEmptyPromptDoes() throws Exception {
        String id = post("/v1/sessions", "{}").body().get("id").asText();
        Reply g = post("/v1/sessions/" + id + "/generate", "{\"max_tokens\": 8, \"seed\": 2}");
        assertEquals(post("/v1/generate", "{\"max_tokens\": 8, \"seed\": 2}").body().get("text"), g.body().get("text"));
        assertEquals(200, call(server, "DELETE", "/v1/sessions/" + id, null).status());
    }

    @Test
    void sessionsAreCappedAndExpireWhenIdle() throws Exception {
        try (InferenceServer s = InferenceServer.start(model, "127.0.0.1", 0,
                new ServerLimits(64 * 1024, 4096, 2048, 2).withSessions(2, 1))) {
            assertEquals(201, call(s, "POST", "/v1/sessions", "{\"prompt\": \"To\"}").status());
            assertEquals(201, call(s, "POST", "/v1/sessions", "{}").status());
            Reply third = call(s, "POST", "/v1/sessions", "{}");
            assertEquals(429, third.status());
            assertTrue(third.body().get("error").asText().contains("2 sessions"), third.body().toString());
            await(() -> s.metrics().render().contains("\nballast_sessions 0\n"), "idle sessions to expire");
            assertEquals(0, call(s, "GET", "/v1/sessions", null).body().get("count").asInt());
            assertTrue(s.metrics().render().contains("\nballast_sessions_expired_total 2\n"));
            assertEquals(201, call(s, "POST", "/v1/sessions", "{}").status(), "room again");
        }
    }

    // ---- OpenAI's completions ----

    @Test
    void completionsAnswerInOpenAisShape() throws Exception {
        JsonNode models = get("/v1/models").body();
        assertEquals("list", models.get("object").asText());
        assertEquals("m", models.get("data").get(0).get("id").asText());
        assertEquals("model", models.get("data").get(0).get("object").asText());

        Reply r = post("/v1/completions", "{\"model\": \"m\", \"prompt\": \"To be\", \"max_tokens\": 12, \"seed\": 9,"
                + " \"temperature\": 0.8}");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        JsonNode c = r.body();
        assertTrue(c.get("id").asText().startsWith("cmpl-"));
        assertEquals("text_completion", c.get("object").asText());
        assertTrue(c.get("created").isIntegralNumber());
        assertEquals("m", c.get("model").asText());
        JsonNode choice = c.get("choices").get(0);
        assertEquals(0, choice.get("index").asInt());
        assertTrue(choice.get("logprobs").isNull());
        assertEquals("length", choice.get("finish_reason").asText());
        assertEquals(post("/v1/generate", "{\"prompt\": \"To be\", \"max_tokens\": 12, \"seed\": 9, \"temperature\": 0.8}")
                .body().get("text"), choice.get("text"));
        assertEquals(5, c.get("usage").get("prompt_tokens").asInt());
        assertEquals(12, c.get("usage").get("completion_tokens").asInt());
        assertEquals(17, c.get("usage").get("total_tokens").asInt());

        // streamed: server-sent events whose pieces add up to the same text, ending in [DONE]
        HttpResponse<String> s = send(server, "POST", "/v1/completions", "{\"model\": \"m\", \"prompt\": \"To be\","
                + " \"max_tokens\": 12, \"seed\": 9, \"temperature\": 0.8, \"stream\": true}");
        assertEquals(200, s.statusCode());
        assertTrue(s.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> events = sse(s.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode n = JSON.readTree(e);
            assertEquals(c.get("object"), n.get("object"));
            assertEquals("m", n.get("model").asText());
            JsonNode ch = n.get("choices").get(0);
            text.append(ch.get("text").asText());
            if (!ch.get("finish_reason").isNull()) {
                finish = ch.get("finish_reason").asText();
            }
        }
        assertEquals(choice.get("text").asText(), text.toString());
        assertEquals("length", finish);

        // n = 3, with log-probs and a stop string
        Reply three = post("/v1/completions", "{\"model\": \"m\", \"prompt\": \"To\", \"max_tokens\": 20, \"n\": 3,"
                + " \"seed\": 1, \"logprobs\": 2, \"stop\": \"e\"}");
        assertEquals(200, three.status(), String.valueOf(three.body()));
        assertEquals(3, three.body().get("choices").size());
        for (int i = 0; i < 3; i++) {
            JsonNode ch = three.body().get("choices").get(i);
            assertEquals(i, ch.get("index").asInt());
            assertFalse(ch.get("text").asText().contains("e"));
            JsonNode lp = ch.get("logprobs");
            int n = lp.get("tokens").size();
            assertEquals(n, lp.get("token_logprobs").size());
            assertEquals(n, lp.get("top_logprobs").size());
            assertEquals(n, lp.get("text_offset").size());
            if (n > 0) {
                assertEquals(0, lp.get("text_offset").get(0).asInt());
                assertTrue(lp.get("top_logprobs").get(0).size() <= 2);
            }
            assertTrue(Set.of("stop", "length").contains(ch.get("finish_reason").asText()));
        }

        assertEquals(404, post("/v1/completions", "{\"model\": \"gpt-4\", \"prompt\": \"To\"}").status());
        assertEquals(400, post("/v1/completions", "{\"prompt\": \"To\"}").status(), "model is required");
        assertEquals(400, post("/v1/completions", "{\"model\": \"m\", \"presence_penalty\": 1}").status());
        assertEquals(400, post("/v1/completions", "{\"model\": \"m\", \"temperature\": 3}").status());
        assertEquals(400, post("/v1/completions", "{\"model\": \"m\", \"prompt\": [1, 2]}").status());
        assertEquals(400, post("/v1/completions", "{\"model\": \"m\", \"frobnicate\": true}").status());
        assertEquals(405, get("/v1/completions").status());
    }

    @Test
    void anEchoedStreamStartsWithThePrompt() throws Exception {
        HttpResponse<String> s = send(server, "POST", "/v1/completions", "{\"model\": \"m\", \"prompt\": \"To be\","
                + " \"max_tokens\": 4, \"seed\": 2, \"stream\": true, \"echo\": true}");
        List<String> events = sse(s.body());
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            text.append(JSON.readTree(e).get("choices").get(0).get("text").asText());
        }
        JsonNode whole = post("/v1/completions", "{\"model\": \"m\", \"prompt\": \"To be\", \"max_tokens\": 4, \"seed\": 2,"
                + " \"echo\": true}").body();
        assertEquals(whole.get("choices").get(0).get("text").asText(), text.toString());
        assertTrue(text.toString().startsWith("To be"));
    }

    /** The data of each server-sent event. */
    static List<String> sse(String body) {
        List<String> out = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            if (event.isBlank()) {
                continue;
            }
            assertTrue(event.startsWith("data: "), event);
            out.add(event.substring(6));
        }
        return out;
    }

    // ---- /metrics ----

    /** One sample of the exposition: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /**
     * Parses the Prometheus text format (0.0.4) strictly: every line a HELP, a TYPE or a sample; names and label
     * names well formed; label values properly escaped; each family typed once, before its samples, and its
     * samples together; no series twice; histograms with cumulative buckets ending at +Inf equal to _count.
     */
    static List<Sample> parseMetrics(String text) {
        assertTrue(text.endsWith("\n"), "ends with a line break");
        Map<String, String> types = new HashMap<>();
        Set<String> helps = new HashSet<>();
        Set<String> series = new HashSet<>();
        Set<String> closedFamilies = new HashSet<>();
        String currentFamily = null;
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    assertTrue(NAME.matcher(parts[2]).matches(), line);
                    if (parts[1].equals("TYPE")) {
                        assertEquals(4, parts.length, line);
                        assertTrue(TYPES.contains(parts[3]), line);
                        assertTrue(types.putIfAbsent(parts[2], parts[3]) == null, "typed twice: " + line);
                        assertFalse(closedFamilies.contains(parts[2]) || parts[2].equals(currentFamily), "TYPE after samples: " + line);
                    } else {
                        assertTrue(helps.add(parts[2]), "HELP twice: " + line);
                    }
                }
                continue;
            }
            int i = 0;
            Matcher m = NAME.matcher(line);
            assertTrue(m.lookingAt(), line);
            String name = m.group();
            i = m.end();
            Map<String, String> labels = new TreeMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
                    assertTrue(ln.lookingAt(), "label name in " + line);
                    String label = ln.group();
                    i = ln.end();
                    assertEquals('=', line.charAt(i++), line);
                    assertEquals('"', line.charAt(i++), line);
                    StringBuilder value = new StringBuilder();
                    while (line.charAt(i) != '"') {
                        char ch = line.charAt(i++);
                        if (ch == '\\') {
                            char e = line.charAt(i++);
                            value.append(switch (e) {
                                case '\\' -> '\\';
                                case '"' -> '"';
                                case 'n' -> '\n';
                                default -> throw new AssertionError("bad escape in " + line);
                            });
                        } else {
                            value.append(ch);
                        }
                    }
                    i++;
                    assertTrue(labels.put(label, value.toString()) == null, "label twice: " + line);
                    if (line.charAt(i) == ',') {
                        i++;
                    } else {
                        assertEquals('}', line.charAt(i), line);
                    }
                }
                i++;
            }
            assertEquals(' ', line.charAt(i), line);
            String[] rest = line.substring(i + 1).split(" ");
            assertTrue(rest.length == 1 || rest.length == 2, line);
            double value = switch (rest[0]) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(rest[0]);
            };
            String family = family(name, types);
            assertNotNull(types.get(family), "sample before its TYPE: " + line);
            if (!family.equals(currentFamily)) {
                assertFalse(closedFamilies.contains(family), "family's samples split: " + line);
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                currentFamily = family;
            }
            if (types.get(family).equals("histogram") && name.equals(family)) {
                fail("a histogram sample needs _bucket, _sum or _count: " + line);
            }
            if (name.endsWith("_bucket") && types.get(family).equals("histogram")) {
                assertTrue(labels.containsKey("le"), line);
            }
            assertTrue(series.add(name + labels), "series twice: " + line);
            samples.add(new Sample(name, labels, value));
        }
        // histograms: cumulative buckets, +Inf == _count
        Map<String, List<Sample>> buckets = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.name().endsWith("_bucket")) {
                Map<String, String> l = new TreeMap<>(s.labels());
                l.remove("le");
                buckets.computeIfAbsent(s.name().substring(0, s.name().length() - 7) + l, k -> new ArrayList<>()).add(s);
            }
        }
        for (Map.Entry<String, List<Sample>> e : buckets.entrySet()) {
            double prevLe = Double.NEGATIVE_INFINITY;
            double prev = 0;
            List<Sample> b = e.getValue();
            for (Sample s : b) {
                double le = s.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(s.labels().get("le"));
                assertTrue(le > prevLe, "buckets in order: " + e.getKey());
                assertTrue(s.value() >= prev, "cumulative: " + e.getKey());
                prevLe = le;
                prev = s.value();
            }
            assertEquals(Double.POSITIVE_INFINITY, prevLe, "+Inf bucket: " + e.getKey());
            Sample last = b.get(b.size() - 1);
            Map<String, String> l = new TreeMap<>(last.labels());
            l.remove("le");
            String base = last.name().substring(0, last.name().length() - 7);
            assertEquals(last.value(), value(samples, base + "_count", l), "+Inf == _count: " + e.getKey());
            value(samples, base + "_sum", l);
        }
        return samples;
    }

    private static String family(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if ("histogram".equals(types.get(base)) || "summary".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return name;
    }

    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().equals(labels)) {
                return s.value();
            }
        }
        throw new AssertionError("no sample " + name + labels);
    }

    static double counter(List<Sample> samples, String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return value(samples, name, l);
    }

    @Test
    void metricsParseStrictlyAndCountTheRequestsMade() throws Exception {
        try (InferenceServer s = InferenceServer.start(model, "127.0.0.1", 0, new ServerLimits(64 * 1024, 4096, 2048, 2))) {
            for (int t : new int[] {7, 8, 9}) {
                assertEquals(200, call(s, "POST", "/v1/generate", "{\"max_tokens\": " + t + ", \"seed\": 1}").status());
            }
            assertEquals(400, call(s, "POST", "/v1/generate", "{\"max_tokens\": -1}").status());
            assertEquals(200, call(s, "POST", "/v1/score", "{\"text\": \"To be\"}").status());
            assertEquals(200, call(s, "POST", "/v1/score", "{\"text\": \"or not\"}").status());
            assertEquals(200, call(s, "POST", "/v1/completions", "{\"model\": \"m\", \"max_tokens\": 5, \"n\": 2}").status());
            assertEquals(200, call(s, "GET", "/v1/models", null).status());
            String id = call(s, "POST", "/v1/sessions", "{\"prompt\": \"To\"}").body().get("id").asText();
            assertEquals(200, call(s, "GET", "/v1/sessions/" + id + "/logprobs", null).status());
            // sessions count while open
            List<Sample> open = parseMetrics(call(s, "GET", "/metrics", null).raw().body());
            assertEquals(1, counter(open, "ballast_sessions"));
            assertTrue(counter(open, "ballast_session_memory_bytes") > 0);
            assertEquals(200, call(s, "DELETE", "/v1/sessions/" + id, null).status());
            assertEquals(404, call(s, "GET", "/nope", null).status());
            assertEquals(200, call(s, "GET", "/health", null).status());

            // A request is counted once its last byte is written, which may be just after the client has it.
            await(() -> s.metrics().requests("/health", 200) == 1, "the last request to be counted");
            HttpResponse<String> r = send(s, "GET", "/metrics", null);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            List<Sample> m = parseMetrics(r.body());
            String req = "ballast_http_requests_total";
            assertEquals(3, counter(m, req, "endpoint", "/v1/generate", "status", "200"));
            assertEquals(1, counter(m, req, "endpoint", "/v1/generate", "status", "400"));
            assertEquals(2, counter(m, req, "endpoint", "/v1/score", "status", "200"));
            assertEquals(1, counter(m, req, "endpoint", "/v1/completions", "status", "200"));
            assertEquals(1, counter(m, req, "endpoint", "/v1/models", "status", "200"));
            assertEquals(1, counter(m, req, "endpoint", "/v1/sessions", "status", "201"));
            assertEquals(1, counter(m, req, "endpoint", "/v1/sessions/{id}/logprobs", "status", "200"));
            assertEquals(1, counter(m, req, "endpoint", "/v1/sessions/{id}", "status", "200"));
            assertEquals(1, counter(m, req, "endpoint", "other", "status", "404"));
            assertEquals(1, counter(m, req, "endpoint", "/metrics", "status", "200"));
            double total = 0;
            for (Sample x : m) {
                if (x.name().equals(req)) {
                    total += x.value();
                }
            }
            assertEquals(14, total, "every request counted once, the scrape itself not yet");
            assertEquals(4, counter(m, "ballast_http_request_duration_seconds_count", "endpoint", "/v1/generate"));
            assertEquals(2, counter(m, "ballast_http_request_duration_seconds_count", "endpoint", "/v1/score"));
            assertEquals(7 + 8 + 9 + 2 * 5, counter(m, "ballast_generated_tokens_total"));
            assertTrue(counter(m, "ballast_input_tokens_total") > 0);
            assertEquals(counter(m, "ballast_model_steps_total"), counter(m, "ballast_batch_size_count"));
            assertEquals(0, counter(m, "ballast_active_streams"));
            assertEquals(0, counter(m, "ballast_queue_depth"));
            assertEquals(64, counter(m, "ballast_max_streams"));
            assertEquals(0, counter(m, "ballast_sessions"));
            assertEquals(0, counter(m, "ballast_session_memory_bytes"));
            assertEquals(0, counter(m, "ballast_rejected_total"));
        }
    }

    // ---- back-pressure, timeouts, shutdown ----

    @Test
    void aFullQueueAnswers503WithRetryAfterAndSlowRequestsTimeOut() throws Exception {
        ServerLimits limits = new ServerLimits(64 * 1024, 4096, 10_000_000, 4).withBatching(1, 1, 2);
        try (InferenceServer s = InferenceServer.start(model, "127.0.0.1", 0, limits)) {
            // one stream at most: a long generation holds it, the next request waits, the one after is refused
            CompletableFuture<Reply> running = CompletableFuture.supplyAsync(() -> unchecked(() ->
                    call(s, "POST", "/v1/generate", "{\"max_tokens\": 10000000}")));
            await(() -> s.scheduler().activeStreams() == 1, "the long request to run");
            CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> unchecked(() ->
                    call(s, "POST", "/v1/score", "{\"text\": \"To be\"}")));
            await(() -> s.scheduler().queueDepth() == 1, "the second request to queue");
            Reply refused = call(s, "POST", "/v1/generate", "{\"max_tokens\": 3}");
            assertEquals(503, refused.status());
            assertEquals("1", refused.raw().headers().firstValue("retry-after").orElse(null));
            assertTrue(refused.body().get("error").asText().contains("busy"));

            Reply timedOut = running.get(30, TimeUnit.SECONDS);
            assertEquals(504, timedOut.status(), String.valueOf(timedOut.body()));
            assertTrue(timedOut.body().get("error").asText().contains("--request-timeout"));
            Reply second = waiting.get(30, TimeUnit.SECONDS);
            assertTrue(second.status() == 200 || second.status() == 504, "served, or timed out after waiting: " + second);

            // a streamed answer that runs out of time ends with a last line saying so
            HttpResponse<String> stream = send(s, "POST", "/v1/generate", "{\"max_tokens\": 10000000, \"stream\": true}");
            assertEquals(200, stream.statusCode());
            List<String> lines = stream.body().lines().toList();
            JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
            assertTrue(last.get("done").asBoolean());
            assertEquals("timeout", last.get("stop_reason").asText());
            assertTrue(last.get("tokens").asInt() > 0);

            String metrics = s.metrics().render();
            assertTrue(metrics.contains("\nballast_rejected_total 1\n"), metrics);
            assertTrue(metrics.contains("ballast_http_requests_total{endpoint=\"/v1/generate\",status=\"503\"} 1\n"));
            assertEquals(200, call(s, "POST", "/v1/generate", "{\"max_tokens\": 3}").status(), "serving again");
        }
    }

    @Test
    void aGracefulStopFinishesShortRequestsAndEndsLongStreamsWithALastLine() throws Exception {
        ServerLimits limits = new ServerLimits(64 * 1024, 4096, 10_000_000, 4);
        InferenceServer s = InferenceServer.start(model, "127.0.0.1", 0, limits);
        CompletableFuture<HttpResponse<String>> endless = CompletableFuture.supplyAsync(() -> unchecked(() ->
                send(s, "POST", "/v1/generate", "{\"max_tokens\": 10000000, \"stream\": true}")));
        await(() -> s.scheduler().activeStreams() == 1, "the long stream to run");
        CompletableFuture<Reply> shortOne = CompletableFuture.supplyAsync(() -> unchecked(() ->
                call(s, "POST", "/v1/generate", "{\"max_tokens\": 20, \"seed\": 1}")));
        Thread.sleep(200);
        long t0 = System.nanoTime();
        s.stop(1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 8, "stopped in " + seconds + " s");
        assertEquals(200, shortOne.get(10, TimeUnit.SECONDS).status());
        HttpResponse<String> r = endless.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        List<String> lines = r.body().lines().toList();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertTrue(last.get("done").asBoolean(), lines.get(lines.size() - 1));
        assertEquals("shutdown", last.get("stop_reason").asText());
        assertTrue(s.scheduler().stopped());
    }

    interface IoCall<T> {
        T call() throws Exception;
    }

    static <T> T unchecked(IoCall<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
