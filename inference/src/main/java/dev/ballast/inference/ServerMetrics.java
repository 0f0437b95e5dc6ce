package dev.ballast.inference;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What {@code GET /metrics} reports, in the Prometheus text exposition format (version 0.0.4): requests by
 * endpoint and status, request latency by endpoint, tokens read and generated, batch sizes, active streams,
 * queue depth and sessions. Endpoint labels are the server's fixed route names (a session's id is never a
 * label), so the number of series stays bounded whatever clients send. Thread-safe and lock-free on the
 * request path.
 */
final class ServerMetrics {

    /** Request latency buckets, seconds. */
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Streams stepped together, per model call. */
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();      // "endpoint\0status"
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();       // endpoint
    final LongAdder generatedTokens = new LongAdder();
    final LongAdder inputTokens = new LongAdder();
    final LongAdder modelSteps = new LongAdder();
    final LongAdder modelNanos = new LongAdder();
    final Histogram batchSize = new Histogram(BATCH_BUCKETS);
    final LongAdder rejectedQueueFull = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder sessionsExpired = new LongAdder();
    private volatile LongSupplier activeStreams = () -> 0;
    private volatile LongSupplier queueDepth = () -> 0;
    private volatile LongSupplier sessions = () -> 0;
    private volatile LongSupplier sessionBytes = () -> 0;
    private volatile LongSupplier maxStreams = () -> 0;

    void gauges(LongSupplier activeStreams, LongSupplier queueDepth, LongSupplier maxStreams) {
        this.activeStreams = activeStreams;
        this.queueDepth = queueDepth;
        this.maxStreams = maxStreams;
    }

    void sessionGauges(LongSupplier sessions, LongSupplier sessionBytes) {
        this.sessions = sessions;
        this.sessionBytes = sessionBytes;
    }

    /** One finished request: its endpoint label, status and time from its headers to its last byte. */
    void request(String endpoint, int status, double seconds) {
        requests.computeIfAbsent(endpoint + '\0' + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(endpoint, k -> new Histogram(LATENCY_BUCKETS)).observe(seconds);
    }

    /** Requests counted so far for an endpoint and status (tests). */
    long requests(String endpoint, int status) {
        LongAdder a = requests.get(endpoint + '\0' + status);
        return a == null ? 0 : a.sum();
    }

    /** A cumulative histogram with fixed upper bounds (and +Inf). */
    static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts; // per bucket, not cumulative; the last one is +Inf
        private final DoubleAdder sum = new DoubleAdder();
        private final AtomicLong count = new AtomicLong();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length + 1];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(v);
            count.incrementAndGet();
        }

        long count() {
            return count.get();
        }

        void write(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{").append(sep).append("le=\"").append(number(bounds[i])).append("\"} ")
                        .append(cumulative).append('\n');
            }
            cumulative += counts[bounds.length].sum();
            out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(cumulative).append('\n');
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name).append("_sum").append(braces).append(' ').append(number(sum.sum())).append('\n');
            out.append(name).append("_count").append(braces).append(' ').append(cumulative).append('\n');
        }
    }

    /** The exposition text. */
    String render() {
        StringBuilder out = new StringBuilder(4096);
        header(out, "ballast_http_requests_total", "counter", "HTTP requests answered, by endpoint and status.");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(requests).entrySet()) {
            String[] key = e.getKey().split("\0", 2);
            out.append("ballast_http_requests_total{endpoint=\"").append(escape(key[0])).append("\",status=\"")
                    .append(key[1]).append("\"} ").append(e.getValue().sum()).append('\n');
        }
        header(out, "ballast_http_request_duration_seconds", "histogram",
                "Time from a request's headers to the end of its answer, by endpoint.");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
            e.getValue().write(out, "ballast_http_request_duration_seconds", "endpoint=\"" + escape(e.getKey()) + "\"");
        }
        counter(out, "ballast_generated_tokens_total", "Tokens sampled by generation requests.", generatedTokens.sum());
        counter(out, "ballast_input_tokens_total", "Tokens read from prompts, scored texts and session feeds.",
                inputTokens.sum());
        counter(out, "ballast_model_steps_total", "Batched model calls made by the scheduler.", modelSteps.sum());
        header(out, "ballast_model_seconds_total", "counter", "Time spent in batched model calls.");
        out.append("ballast_model_seconds_total ").append(number(modelNanos.sum() / 1e9)).append('\n');
        header(out, "ballast_batch_size", "histogram", "Streams stepped together in one model call.");
        batchSize.write(out, "ballast_batch_size", "");
        gauge(out, "ballast_active_streams", "Streams the scheduler is stepping now.", activeStreams.getAsLong());
        gauge(out, "ballast_max_streams", "Most streams stepped at once (--max-streams).", maxStreams.getAsLong());
        gauge(out, "ballast_queue_depth", "Requests waiting for a stream slot.", queueDepth.getAsLong());
        counter(out, "ballast_rejected_total", "Requests refused with 503 because the queue was full.",
                rejectedQueueFull.sum());
        counter(out, "ballast_timed_out_total", "Requests stopped by the request timeout.", timedOut.sum());
        gauge(out, "ballast_sessions", "Open sessions.", sessions.getAsLong());
        gauge(out, "ballast_session_memory_bytes", "Memory held by open sessions' states.", sessionBytes.getAsLong());
        counter(out, "ballast_sessions_expired_total", "Sessions closed after their idle timeout.", sessionsExpired.sum());
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        header(out, name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
