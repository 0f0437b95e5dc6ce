package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballast.engine.io.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under clients that misbehave at the HTTP level: slow or silent connections must not hold up
 * anyone else, the connection limit and idle timeout hold, and whatever is not proper HTTP gets a JSON 4xx.
 */
class ServerReliabilityTest {

    static final ObjectMapper JSON = Json.MAPPER;
    static final int SLOW_CLIENTS = 50;
    /** How long a probe may take with the slow clients connected: generous, so a busy machine does not fail it. */
    static final Duration PROMPT = Duration.ofSeconds(2);

    @TempDir
    static Path tmp;
    static InferenceModel model;
    static InferenceServer server;
    static HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws IOException {
        model = TinyLanguageModel.open(tmp);
        server = InferenceServer.start(model, "127.0.0.1", 0, new ServerLimits(2048, 100, 50, 4));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    static HttpResponse<String> get(InferenceServer s, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(InferenceServer s, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A connection that sends a request a byte at a time (or nothing), so that it is always in the middle of
     * one. On the JDK's server four of these took every request thread and /health waited for them.
     */
    static final class SlowClient {
        final Socket socket;
        final byte[] script;
        int sent;

        SlowClient(int port, String script) throws IOException {
            socket = new Socket("127.0.0.1", port);
            this.script = script.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** Sends the next byte; never the last, so the request is never complete. */
        void trickle() throws IOException {
            if (sent < script.length - 1) {
                OutputStream out = socket.getOutputStream();
                out.write(script[sent++]);
                out.flush();
            }
        }
    }

    @Test
    void fiftySlowOrSilentConnectionsDoNotDelayHealthOrScore() throws Exception {
        String padding = "x".repeat(4000);
        List<SlowClient> slow = new ArrayList<>();
        AtomicReference<Throwable> trickleFailure = new AtomicReference<>();
        Thread trickler = null;
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                String script = switch (i % 3) {
                    // headers that never end
                    case 0 -> "POST /v1/score HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + padding + "\r\n\r\n";
                    // headers complete at once, then a body that never ends
                    case 1 -> "POST /v1/score HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{\"text\": \"" + "to be ".repeat(160);
                    // nothing at all
                    default -> "";
                };
                SlowClient c = new SlowClient(server.port(), script);
                if (i % 3 == 1) {
                    int headers = script.indexOf("\r\n\r\n") + 4;
                    c.socket.getOutputStream().write(c.script, 0, headers + 1);
                    c.sent = headers + 1;
                }
                slow.add(c);
            }
            trickler = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (SlowClient c : slow) {
                            c.trickle();
                        }
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    // done
                } catch (Throwable t) {
                    trickleFailure.set(t);
                }
            }, "slow-clients");
            trickler.setDaemon(true);
            trickler.start();
            // All of them connected and holding (no timing: the server counts them).
            for (int wait = 0; server.openConnections() < SLOW_CLIENTS && wait < 200; wait++) {
                Thread.sleep(50);
            }
            assertTrue(server.openConnections() >= SLOW_CLIENTS, "open: " + server.openConnections());

            for (int probe = 0; probe < 5; probe++) {
                long t0 = System.nanoTime();
                HttpResponse<String> health = get(server, "/health");
                Duration healthTook = Duration.ofNanos(System.nanoTime() - t0);
                assertEquals(200, health.statusCode());
                assertTrue(healthTook.compareTo(PROMPT) < 0, "/health took " + healthTook.toMillis() + " ms");

                long t1 = System.nanoTime();
                HttpResponse<String> score = post(server, "/v1/score", "{\"text\": \"to be or not\"}");
                Duration scoreTook = Duration.ofNanos(System.nanoTime() - t1);
                assertEquals(200, score.statusCode(), score.body());
                assertTrue(scoreTook.compareTo(PROMPT) < 0, "/v1/score took " + scoreTook.toMillis() + " ms");
            }

            // The slow clients were still there the whole time: connected, unanswered, still sending.
            assertTrue(server.openConnections() >= SLOW_CLIENTS, "open: " + server.openConnections());
            for (SlowClient c : slow) {
                assertEquals(0, c.socket.getInputStream().available(), "a slow client got an answer or was closed");
            }
            assertEquals(null, trickleFailure.get(), "a slow client's connection broke");
        } finally {
            if (trickler != null) {
                trickler.interrupt();
                trickler.join();
            }
            for (SlowClient c : slow) {
                c.socket.close();
            }
        }
    }

    @Test
    void atTheConnectionLimitNewClientsWaitAndAreServedWhenOneCloses() throws Exception {
        try (InferenceServer small = InferenceServer.start(model, "127.0.0.1", 0, new ServerLimits(2048, 100, 50, 2, 3, 30))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    idle.add(new Socket("127.0.0.1", small.port()));
                }
                for (int wait = 0; small.openConnections() < 3 && wait < 200; wait++) {
                    Thread.sleep(50);
                }
                assertEquals(3, small.openConnections());
                CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return get(small, "/health");
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Thread.sleep(300);
                assertFalse(waiting.isDone(), "a fourth connection was served while three were open");
                idle.remove(0).close();
                assertEquals(200, waiting.get().statusCode());
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void idleAndHalfSentConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (InferenceServer quick = InferenceServer.start(model, "127.0.0.1", 0, new ServerLimits(2048, 100, 50, 2, 16, 1));
             Socket silent = new Socket("127.0.0.1", quick.port());
             Socket halfHeaders = new Socket("127.0.0.1", quick.port());
             Socket halfBody = new Socket("127.0.0.1", quick.port());
             Socket keptAlive = new Socket("127.0.0.1", quick.port())) {
            keptAlive.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            halfHeaders.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            halfBody.getOutputStream().write(("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"text\": ")
                    .getBytes(StandardCharsets.US_ASCII));
            for (Socket s : List.of(silent, halfHeaders)) {
                s.setSoTimeout(20_000);
                assertEquals(0, RawHttp.readUntilClosed(s.getInputStream()).length, "closed without a reply");
            }
            halfBody.setSoTimeout(20_000);
            RawHttp reply = RawHttp.parse(RawHttp.readUntilClosed(halfBody.getInputStream()));
            assertEquals(408, reply.status(), reply.body());
            assertTrue(reply.json().get("error").asText().contains("nothing was received for 1 s"), reply.body());
            keptAlive.setSoTimeout(20_000);
            RawHttp answered = RawHttp.parse(RawHttp.readUntilClosed(keptAlive.getInputStream()));
            assertEquals(200, answered.status(), "answered, then closed once idle: " + answered);
            assertEquals(200, get(quick, "/health").statusCode());
        }
    }

    /** A complete POST /v1/score with this body, on a connection the server closes after answering. */
    static String score(String body) {
        return "POST /v1/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void malformedHttpGetsAJsonErrorWithoutJavaNames() throws Exception {
        String[][] cases = {
                {"400", "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}", "Content-Length"},
                {"400", "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", "Content-Length"},
                {"400", "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "Content-Length"},
                {"400", "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", "malformed HTTP request"},
                {"413", "POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n", "larger than 2048 bytes"},
                {"413", "POST /v1/score HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n", "larger than 2048"},
                {"413", "POST /v1/score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "800\r\n" + "a".repeat(0x800) + "\r\n" + "800\r\n" + "a".repeat(0x800) + "\r\n0\r\n\r\n", "larger than 2048"},
                {"400", "\u0000\u0001GARBAGE \r\n\r\n", "malformed HTTP request"},
                {"400", "GET /health HTTP/3.7\r\nHost: x\r\n\r\n", "malformed HTTP request"},
                {"400", "GET /health\r\n\r\n", "malformed HTTP request"},
                {"400", "GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n", "malformed HTTP request"},
                {"400", "GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "malformed HTTP request"},
                {"400", "POST /v1/score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n", "malformed HTTP request"},
                {"431", "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n", "headers are too large"},
                {"414", "GET /" + "u".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "too long"},
                {"404", "GET /v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "no endpoint /v1/nothing"},
                {"405", "DELETE /v1/score HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "use POST here"},
                {"405", "BREW /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "use GET here"},
                {"400", score("{\"text\": 1}{\"a\""), "malformed JSON: more data after the JSON value"},
                {"400", score("{\"a\":1,\"a\":2}"), "malformed JSON: duplicate field 'a'"},
                {"400", score("{\"text\": NaN}"), "malformed JSON"},
                {"400", score("[1,2"), "malformed JSON"},
        };
        for (String[] c : cases) {
            String label = c[1].length() > 80 ? c[1].substring(0, 80) + "..." : c[1];
            RawHttp reply = RawHttp.send(server.port(), c[1]);
            assertEquals(Integer.parseInt(c[0]), reply.status(), label + " -> " + reply);
            assertTrue(reply.headers().getOrDefault("content-type", "").startsWith("application/json"), label + " -> " + reply);
            JsonNode body = reply.json();
            String error = body.get("error").asText();
            assertTrue(error.contains(c[2]), label + " -> " + error);
            assertEquals(Integer.parseInt(c[0]), body.get("status").asInt());
            assertFalse(error.contains("\n"), error);
            assertFalse(RawHttp.JAVA_NAMES.matcher(reply.body()).find(), label + " -> " + reply.body());
        }
        assertEquals(200, post(server, "/v1/score", "{\"text\": \"to be\"}").statusCode(), "still serving");
    }

    @Test
    void streamingStillSendsNdjsonInChunks() throws Exception {
        String body = "{\"max_tokens\": 6, \"seed\": 3, \"stream\": true}";
        // kept alive, as clients do: the answer comes chunked (with "Connection: close" Jetty would end it by closing)
        RawHttp reply = RawHttp.sendOne(server.port(), "POST /v1/generate HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
        assertEquals(200, reply.status());
        assertEquals("chunked", reply.headers().get("transfer-encoding"));
        assertTrue(reply.headers().get("content-type").startsWith("application/x-ndjson"));
        List<String> lines = reply.body().lines().toList();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertTrue(last.get("done").asBoolean());
        assertEquals(6, last.get("tokens").asInt());
        StringBuilder pieces = new StringBuilder();
        for (String line : lines.subList(0, lines.size() - 1)) {
            pieces.append(JSON.readTree(line).get("text").asText());
        }
        assertEquals(last.get("text").asText(), pieces.toString());
    }
}
