package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballast.engine.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP front over loopback: good requests answered, every bad one a 4xx JSON error, server alive after. */
class InferenceServerTest {

    static final ObjectMapper JSON = Json.MAPPER;
    @TempDir
    static Path tmp;
    static InferenceModel model;
    static InferenceServer server;
    static HttpClient client;

    record Reply(int status, JsonNode body) {
    }

    @BeforeAll
    static void start() throws IOException {
        model = TinyLanguageModel.open(tmp);
        server = InferenceServer.start(model, "127.0.0.1", 0, new ServerLimits(2048, 100, 50, 4));
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    static Reply post(String path, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body().lines().reduce((a, b) -> b).orElse("")));
    }

    static Reply get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    @Test
    void generatesScoresAndDescribesTheModel() throws Exception {
        Reply g = post("/v1/generate", "{\"prompt\": \"To be\", \"max_tokens\": 20, \"seed\": 4, \"temperature\": 0.7}");
        assertEquals(200, g.status(), String.valueOf(g.body()));
        assertEquals(20, g.body().get("tokens").asInt());
        assertEquals(g.body(), post("/v1/generate", "{\"prompt\": \"To be\", \"max_tokens\": 20, \"seed\": 4, \"temperature\": 0.7}").body());
        Reply s = post("/v1/score", "{\"text\": \"that is the question\", \"per_token\": true}");
        assertEquals(200, s.status());
        assertEquals(20, s.body().get("per_token").size());
        assertTrue(s.body().get("perplexity").asDouble() > 1);
        assertEquals("rnn-tanh", get("/v1/model").body().get("cell").asText());
        assertEquals("ok", get("/health").body().get("status").asText());
    }

    @Test
    void streamingSendsPiecesThenTheFinalObject() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"max_tokens\": 10, \"seed\": 1, \"stream\": true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> lines = r.body().lines().toList();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertTrue(last.get("done").asBoolean());
        StringBuilder joined = new StringBuilder();
        for (String line : lines.subList(0, lines.size() - 1)) {
            joined.append(JSON.readTree(line).get("text").asText());
        }
        assertEquals(last.get("text").asText(), joined.toString());
    }

    @Test
    void badRequestsGetJsonErrorsAndTheServerKeepsServing() throws Exception {
        String[][] cases = {
                {"/v1/generate", "{\"prompt\": \"To be\"", "400"},                   // malformed JSON
                {"/v1/generate", "[1, 2]", "400"},                                  // not an object
                {"/v1/generate", "{\"prompt\": 5}", "400"},                          // wrong type
                {"/v1/generate", "{\"max_tokens\": \"10\"}", "400"},                 // number as string
                {"/v1/generate", "{\"max_tokens\": 1.5}", "400"},                    // fraction
                {"/v1/generate", "{\"max_tokens\": 51}", "400"},                     // over the limit
                {"/v1/generate", "{\"max_tokens\": -1}", "400"},
                {"/v1/generate", "{\"temperature\": -1}", "400"},
                {"/v1/generate", "{\"top_p\": 0}", "400"},
                {"/v1/generate", "{\"stop\": [\"\"]}", "400"},
                {"/v1/generate", "{\"stop\": \"x\"}", "400"},
                {"/v1/generate", "{\"promt\": \"typo\"}", "400"},                    // unknown field
                {"/v1/generate", "{\"prompt\": \"Жизнь\"}", "400"},                  // unknown symbol, policy error
                {"/v1/generate", "{\"prompt\": \"" + "to be ".repeat(20) + "\"}", "400"}, // 120 tokens > 100
                {"/v1/generate", "{\"prompt\": \"" + "x".repeat(3000) + "\"}", "413"},    // body > 2048 bytes
                {"/v1/generate", "", "400"},
                {"/v1/score", "{}", "400"},
                {"/v1/score", "{\"text\": \"\"}", "400"},
                {"/v1/score", "{\"text\": null}", "400"},
                {"/v1/score", "{\"text\": \"to be\", \"per_token\": \"yes\"}", "400"},
                {"/v1/nothing", "{}", "404"},
        };
        for (String[] c : cases) {
            Reply r = post(c[0], c[1]);
            assertEquals(Integer.parseInt(c[2]), r.status(), c[0] + " " + c[1] + " -> " + r.body());
            assertTrue(r.body().get("error").isTextual(), String.valueOf(r.body()));
        }
        assertEquals(405, get("/v1/generate").status());
        assertEquals(405, post("/health", "{}").status());
        rawGarbage();
        assertEquals(200, post("/v1/score", "{\"text\": \"to be\"}").status());
    }

    /** The library names a field by its snake_case name; the server spells it as the request's JSON field. */
    @Test
    void errorsNameTheRequestField() throws Exception {
        String[][] cases = {
                {"{\"temperature\": -1, \"max_tokens\": 5}", "field 'temperature' must be at least 0 (0 = greedy), got -1.0"},
                {"{\"top_k\": -2, \"max_tokens\": 5}", "field 'top_k' must be at least 0 (0 = off), got -2"},
                {"{\"top_p\": 0, \"max_tokens\": 5}", "field 'top_p' must be in (0, 1], got 0.0"},
                {"{\"max_tokens\": 51}", "field 'max_tokens' must be in [0, 50], got 51"},
                {"{\"prompt\": 5, \"max_tokens\": 5}", "field 'prompt' must be a string"},
        };
        for (String[] c : cases) {
            Reply r = post("/v1/generate", c[0]);
            assertEquals(400, r.status(), c[0]);
            assertEquals(c[1], r.body().get("error").asText(), c[0]);
        }
    }

    /** Bytes that are not HTTP at all must not hurt the server. */
    private static void rawGarbage() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("\u0000\u0001GARBAGE \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            in.readAllBytes();
        }
    }

    @Test
    void concurrentRequestsAllSucceedWithTheirOwnAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int seed = i % 4;
                futures.add(pool.submit(() -> post("/v1/generate", "{\"max_tokens\": 15, \"seed\": " + seed + "}")));
            }
            List<JsonNode> bySeed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bySeed.add(post("/v1/generate", "{\"max_tokens\": 15, \"seed\": " + i + "}").body());
            }
            for (int i = 0; i < futures.size(); i++) {
                Reply r = futures.get(i).get();
                assertEquals(200, r.status());
                assertEquals(bySeed.get(i % 4), r.body(), "same seed, same text, whatever ran alongside");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
