package dev.ballast.cli;

import dev.ballast.inference.ApiKey;
import dev.ballast.inference.ForecastModel;
import dev.ballast.inference.InferenceModel;
import dev.ballast.inference.InferenceServer;
import dev.ballast.inference.ListenAddress;
import dev.ballast.inference.ServerLimits;
import dev.ballast.engine.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ballast serve}: HTTP/JSON generation and scoring until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a model over HTTP with JSON until stopped with Ctrl-C.",
                "A language model answers POST /v1/generate, POST /v1/score, /v1/sessions and",
                "OpenAI's POST /v1/completions and GET /v1/models; a forecaster (a directory",
                "with forecaster.json, or its exported .onnx file) answers POST /v1/forecast;",
                "both answer GET /v1/model, GET /metrics (Prometheus) and GET /health. --model",
                "is a run or checkpoint directory (Ballast's engine) or an exported .onnx file",
                "(ONNX Runtime).",
                "Concurrent requests are stepped together (continuous batching): up to",
                "--max-streams streams share each model call; more wait in a queue of up to",
                "--max-queue, then get 503 with Retry-After. When the server stops, running",
                "requests get --shutdown-grace seconds to finish.",
                "It binds to loopback unless --host says otherwise (then it warns: everything on",
                "that network can reach it). With --api-key-file (or --api-key, or",
                "BALLAST_API_KEY) every endpoint but GET /health needs 'Authorization: Bearer",
                "KEY'. Slow or idle clients hold a connection, not a thread."},
        footer = {"",
                "Examples:",
                "  ballast serve --model shakespeare.onnx --port 8080",
                "  curl -s localhost:8080/v1/generate \\",
                "      -d '{\"prompt\": \"ROMEO:\", \"max_tokens\": 100, \"seed\": 1}'",
                "  curl -s localhost:8080/v1/score -d '{\"text\": \"To be, or not to be\"}'",
                "  curl -s localhost:8080/v1/completions \\",
                "      -d '{\"model\": \"shakespeare\", \"prompt\": \"ROMEO:\", \"max_tokens\": 50}'",
                "  ballast serve --model runs/forecast    (a forecaster: POST /v1/forecast)",
                "  curl -s localhost:8080/v1/forecast \\",
                "      -d '{\"history\": [112, 118, 132, ...], \"horizon\": 12}'",
                "  ballast serve --model shakespeare.onnx --host 0.0.0.0 --api-key-file serve.key",
                "  curl -s -H \"Authorization: Bearer $(cat serve.key)\" host:8080/v1/score \\",
                "      -d '{\"text\": \"To be\"}'"})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE.onnx", description = "A run or checkpoint directory, or an ONNX file from 'ballast export'.")
    Path model;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port, 0 = any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Compute threads per model call, 0 = default (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--server-threads", paramLabel = "N", defaultValue = "4", description = "Threads that check requests and hand them to the batch scheduler (and run forecasts) (default: ${DEFAULT-VALUE}).")
    int serverThreads;

    @Option(names = "--max-streams", paramLabel = "N", defaultValue = "" + ServerLimits.DEFAULT_MAX_STREAMS,
            description = "Streams stepped together in one model call at most; a request with n samples takes n (default: ${DEFAULT-VALUE}).")
    int maxStreams;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "" + ServerLimits.DEFAULT_MAX_QUEUE,
            description = "Requests that may wait for a stream; more get 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "" + ServerLimits.DEFAULT_REQUEST_TIMEOUT_SECONDS,
            description = "A generate, score or session request still unfinished this long after it was queued is stopped: 504, or a stream ends with stop reason timeout (default: ${DEFAULT-VALUE}).")
    int requestTimeout;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "" + ServerLimits.DEFAULT_MAX_SESSIONS,
            description = "Open sessions at most; more get 429 (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(names = "--session-idle-timeout", paramLabel = "SECONDS", defaultValue = "" + ServerLimits.DEFAULT_SESSION_IDLE_SECONDS,
            description = "Close a session unused this long (default: ${DEFAULT-VALUE}).")
    int sessionIdleTimeout;

    @Option(names = "--prefill-chunk", paramLabel = "N", defaultValue = "" + ServerLimits.DEFAULT_PREFILL_CHUNK,
            description = "Most prompt tokens a stream reads per scheduler step, so long prompts do not hold up generating streams (default: ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "On SIGTERM or Ctrl-C, let running requests finish for this long, then end the rest with a last answer (default: ${DEFAULT-VALUE}).")
    int shutdownGrace;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + ServerLimits.DEFAULT_MAX_CONNECTIONS,
            description = "Open connections at most; more clients wait to be accepted (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "" + ServerLimits.DEFAULT_IDLE_TIMEOUT_SECONDS,
            description = "Close a connection that sends or reads nothing for this long: the deadline for each part of a request's headers and body (default: ${DEFAULT-VALUE}).")
    int idleTimeout;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' on every endpoint but GET /health. Other users of this machine can see it in the process list: prefer --api-key-file or BALLAST_API_KEY.")
    String apiKey;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "Like --api-key, with the key read from FILE (surrounding whitespace ignored).")
    Path apiKeyFile;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "65536", description = "Largest request body (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--max-input-tokens", paramLabel = "N", defaultValue = "4096", description = "Most tokens in a prompt or scored text (default: ${DEFAULT-VALUE}).")
    int maxInputTokens;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "2048", description = "Most tokens one request may generate (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new InputException("--port must be in [0, 65535], got " + port);
        }
        dev.ballast.engine.ResourceLimits.checkThreads("--threads", threads);
        if (shutdownGrace < 0) {
            throw new InputException("--shutdown-grace must be at least 0, got " + shutdownGrace);
        }
        ServerLimits limits = new ServerLimits(maxBody, maxInputTokens, maxNewTokens, serverThreads, maxConnections, idleTimeout,
                maxStreams, maxQueue, requestTimeout, maxSessions, sessionIdleTimeout, prefillChunk);
        // Everything about where and how to listen is checked before the model is loaded.
        InetAddress address = ListenAddress.resolve(host);
        ApiKey key = apiKey(apiKey, apiKeyFile, System.getenv("BALLAST_API_KEY"));
        String bind = address.getHostAddress();
        if (ForecastModel.isForecaster(model)) {
            try (ForecastModel m = ForecastModel.open(model, threads)) {
                serveUntilStopped(() -> InferenceServer.start(m, bind, port, limits, key), address, key != null,
                        "forecaster " + m.source() + " (" + m.backend() + ")");
            }
        } else {
            try (InferenceModel m = InferenceModel.open(model, threads)) {
                serveUntilStopped(() -> InferenceServer.start(m, bind, port, limits, key), address, key != null,
                        m.info().source() + " (" + m.info().backend() + ")");
            }
        }
        return 0;
    }

    /** The key from --api-key, --api-key-file or BALLAST_API_KEY (in that order; the two flags exclude each other), or null. */
    static ApiKey apiKey(String flag, Path file, String env) {
        if (flag != null && file != null) {
            throw new InputException("give --api-key or --api-key-file, not both");
        }
        if (flag != null) {
            return ApiKey.of(flag, "--api-key");
        }
        if (file != null) {
            String origin = "--api-key-file " + file;
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new InputException(origin + ": no such file");
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new InputException(origin + ": not a text file (the key must be printable ASCII)");
            } catch (IOException e) {
                throw new InputException(origin + ": cannot read it" + (Files.isDirectory(file) ? " (it is a directory)" : ""));
            }
            if (text.isBlank()) {
                throw new InputException(origin + ": the file is empty; put the key in it");
            }
            return ApiKey.of(text.strip(), origin);
        }
        if (env != null) {
            if (env.isBlank()) {
                throw new InputException("BALLAST_API_KEY is set but empty; unset it or give it the key");
            }
            return ApiKey.of(env.strip(), "BALLAST_API_KEY");
        }
        return null;
    }

    /** How a server is started; binding may fail. */
    @FunctionalInterface
    private interface ServerStart {
        InferenceServer start() throws java.io.IOException;
    }

    /**
     * Starts the server, says where it listens (warning when beyond loopback), and blocks until the JVM shuts down
     * (SIGTERM or Ctrl-C): then no new request is taken, running ones get --shutdown-grace seconds to finish, and
     * the rest end with a last answer (503, or a stream's final line with stop reason "shutdown").
     */
    private void serveUntilStopped(ServerStart start, InetAddress address, boolean keyRequired, String what) throws Exception {
        InferenceServer server;
        try {
            server = start.start();
        } catch (java.net.BindException e) {
            throw new InputException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        ListenAddress.exposureWarning(address, keyRequired).ifPresent(warning -> {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ballast serve: " + warning);
            err.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ballast serve: stopping; running requests have " + shutdownGrace + " s to finish");
            err.flush();
            server.stop(shutdownGrace);
            err.println("ballast serve: stopped");
            err.flush();
            stopped.countDown();
        }, "ballast-serve-stop"));
        PrintWriter out = spec.commandLine().getOut();
        String shown = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        out.printf("serving %s on http://%s:%d%n", what, shown, server.port());
        out.flush();
        stopped.await();
    }
}
