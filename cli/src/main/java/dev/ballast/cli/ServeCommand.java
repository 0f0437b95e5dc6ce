package dev.ballast.cli;

import dev.ballast.inference.ApiKey;
import dev.ballast.inference.ForecastModel;
import dev.ballast.inference.InferenceModel;
import dev.ballast.inference.InferenceServer;
import dev.ballast.inference.ListenAddress;
import dev.ballast.inference.ServerLimits;
import dev.ballast.engine.ConfigException;
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
        description = {"Serve a model over HTTP with JSON: POST /v1/generate, POST /v1/score, GET /v1/model, GET /health;",
                "for a forecaster (directory with forecaster.json, or its exported .onnx) POST /v1/forecast instead.",
                "--model is a run or checkpoint directory (Ballast's engine) or an exported .onnx file (ONNX Runtime).",
                "Binds to loopback unless --host says otherwise (then it warns: everything on that network can reach it).",
                "With --api-key-file (or --api-key, or BALLAST_API_KEY) every endpoint but GET /health needs",
                "'Authorization: Bearer KEY'. Slow or idle clients hold a connection, not a thread. Stop with Ctrl-C."},
        footer = {"", "Examples:", "  ballast serve --model shakespeare.onnx --port 8080",
                "  curl -s localhost:8080/v1/generate -d '{\"prompt\": \"ROMEO:\", \"max_tokens\": 100, \"seed\": 1}'",
                "  curl -s localhost:8080/v1/score -d '{\"text\": \"To be, or not to be\"}'",
                "  ballast serve --model runs/forecast    (a forecaster: POST /v1/forecast)",
                "  curl -s localhost:8080/v1/forecast -d '{\"history\": [112, 118, 132, ...], \"horizon\": 12}'",
                "  ballast serve --model shakespeare.onnx --host 0.0.0.0 --api-key-file serve.key",
                "  curl -s -H \"Authorization: Bearer $(cat serve.key)\" host:8080/v1/score -d '{\"text\": \"To be\"}'"})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE.onnx", description = "A run or checkpoint directory, or an exported .onnx file.")
    Path model;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port, 0 = any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Compute threads per model call, 0 = default (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--server-threads", paramLabel = "N", defaultValue = "4", description = "Requests that run the model at once; more wait (default: ${DEFAULT-VALUE}).")
    int serverThreads;

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
            throw new ConfigException("--port must be in [0, 65535], got " + port);
        }
        dev.ballast.engine.ResourceLimits.checkThreads("--threads", threads);
        ServerLimits limits = new ServerLimits(maxBody, maxInputTokens, maxNewTokens, serverThreads, maxConnections, idleTimeout);
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
            throw new ConfigException("give --api-key or --api-key-file, not both");
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
                throw new ConfigException(origin + ": no such file");
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ConfigException(origin + ": not a text file (the key must be printable ASCII)");
            } catch (IOException e) {
                throw new ConfigException(origin + ": cannot read it" + (Files.isDirectory(file) ? " (it is a directory)" : ""));
            }
            if (text.isBlank()) {
                throw new ConfigException(origin + ": the file is empty; put the key in it");
            }
            return ApiKey.of(text.strip(), origin);
        }
        if (env != null) {
            if (env.isBlank()) {
                throw new ConfigException("BALLAST_API_KEY is set but empty; unset it or give it the key");
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

    /** Starts the server, says where it listens (warning when beyond loopback), and blocks until the JVM shuts down (Ctrl-C). */
    private void serveUntilStopped(ServerStart start, InetAddress address, boolean keyRequired, String what) throws Exception {
        InferenceServer server;
        try {
            server = start.start();
        } catch (java.net.BindException e) {
            throw new ConfigException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        ListenAddress.exposureWarning(address, keyRequired).ifPresent(warning -> {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ballast serve: " + warning);
            err.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(2);
            stopped.countDown();
        }, "ballast-serve-stop"));
        PrintWriter out = spec.commandLine().getOut();
        String shown = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        out.printf("serving %s on http://%s:%d%n", what, shown, server.port());
        out.flush();
        stopped.await();
    }
}
