package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballast.engine.io.Json;
import dev.ballast.engine.InputException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server started with an API key: everything but GET /health needs {@code Authorization: Bearer KEY}. */
class ApiKeyServerTest {

    static final ObjectMapper JSON = Json.MAPPER;
    static final String KEY = "s3cret-Key_0123456789";
    @TempDir
    static Path tmp;
    static InferenceModel model;
    static InferenceServer server;
    static HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        model = TinyLanguageModel.open(tmp);
        server = InferenceServer.start(model, "127.0.0.1", 0, ServerLimits.DEFAULT, ApiKey.of(KEY, "--api-key"));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    static HttpResponse<String> call(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        b = method.equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"to be\"}"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertUnauthorized(HttpResponse<String> r, String expected) throws Exception {
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
        JsonNode body = JSON.readTree(r.body());
        assertTrue(body.get("error").asText().contains(expected), r.body());
        assertFalse(r.body().contains(KEY));
    }

    @Test
    void healthIsOpenWithoutAKey() throws Exception {
        HttpResponse<String> r = call("GET", "/health", null);
        assertEquals(200, r.statusCode());
        assertEquals("ok", JSON.readTree(r.body()).get("status").asText());
        assertEquals(200, call("GET", "/health", "Bearer wrong").statusCode(), "a wrong key does not close /health");
    }

    @Test
    void everythingElseNeedsTheKey() throws Exception {
        assertUnauthorized(call("POST", "/v1/score", null), "Authorization: Bearer KEY");
        assertUnauthorized(call("GET", "/v1/model", null), "needs an API key");
        assertUnauthorized(call("POST", "/v1/generate", null), "needs an API key");
        assertUnauthorized(call("POST", "/v1/nothing", null), "needs an API key"); // no map of the endpoints for strangers
        assertUnauthorized(call("POST", "/health", null), "needs an API key");
        assertUnauthorized(call("POST", "/v1/score", "Basic " + KEY), "needs an API key");
        assertUnauthorized(call("POST", "/v1/score", "Bearer"), "needs an API key");
        // the batching server's endpoints too
        assertUnauthorized(call("POST", "/v1/completions", null), "needs an API key");
        assertUnauthorized(call("GET", "/v1/models", null), "needs an API key");
        assertUnauthorized(call("GET", "/metrics", null), "needs an API key");
        assertUnauthorized(call("POST", "/v1/sessions", null), "needs an API key");
        assertUnauthorized(call("GET", "/v1/sessions", "Bearer wrong"), "wrong API key");
        assertUnauthorized(call("GET", "/v1/sessions/sess_0/logprobs", null), "needs an API key");
    }

    @Test
    void aWrongKeyIsRejected() throws Exception {
        assertUnauthorized(call("POST", "/v1/score", "Bearer wrong"), "wrong API key");
        assertUnauthorized(call("POST", "/v1/score", "Bearer " + KEY + "x"), "wrong API key");
        assertUnauthorized(call("POST", "/v1/score", "Bearer " + KEY.substring(1)), "wrong API key");
        assertUnauthorized(call("POST", "/v1/score", "Bearer " + KEY.toUpperCase()), "wrong API key");
    }

    /** Jetty caches header fields per connection; a key differing only in case must not match the cached one. */
    @Test
    void onOneConnectionTheKeyIsComparedExactlyEveryTime() throws Exception {
        String good = "GET /v1/model HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n\r\n";
        String upper = "GET /v1/model HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY.toUpperCase(java.util.Locale.ROOT)
                + "\r\nConnection: close\r\n\r\n";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((good + good + upper).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String replies = new String(RawHttp.readUntilClosed(s.getInputStream()), java.nio.charset.StandardCharsets.UTF_8);
            java.util.List<String> statuses = java.util.regex.Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(replies)
                    .results().map(m -> m.group(1)).toList();
            assertEquals(java.util.List.of("200", "200", "401"), statuses, replies);
        }
    }

    @Test
    void theRightKeyIsAccepted() throws Exception {
        HttpResponse<String> score = call("POST", "/v1/score", "Bearer " + KEY);
        assertEquals(200, score.statusCode(), score.body());
        assertTrue(JSON.readTree(score.body()).get("perplexity").asDouble() > 1);
        assertEquals(200, call("GET", "/v1/model", "bearer  " + KEY + " ").statusCode(), "scheme is case-insensitive");
        assertEquals(200, call("GET", "/v1/models", "Bearer " + KEY).statusCode());
        assertEquals(200, call("GET", "/metrics", "Bearer " + KEY).statusCode());
        HttpResponse<String> missing = call("POST", "/v1/nothing", "Bearer " + KEY);
        assertEquals(404, missing.statusCode(), "with the key, the usual errors");
    }

    @Test
    void keysMustBeSendableAsABearerToken() {
        assertEquals(ApiKey.Check.ACCEPTED, ApiKey.of("abc", "--api-key").check("Bearer abc"));
        assertEquals(ApiKey.Check.MISSING, ApiKey.of("abc", "--api-key").check(null));
        assertEquals(ApiKey.Check.WRONG, ApiKey.of("abc", "--api-key").check("Bearer abd"));
        InputException empty = assertThrows(InputException.class, () -> ApiKey.of("", "--api-key-file k.txt"));
        assertTrue(empty.getMessage().startsWith("--api-key-file k.txt: "), empty.getMessage());
        assertThrows(InputException.class, () -> ApiKey.of("two words", "--api-key"));
        assertThrows(InputException.class, () -> ApiKey.of("schlüssel", "--api-key"));
        assertFalse(ApiKey.of(KEY, "--api-key").toString().contains(KEY));
    }
}
