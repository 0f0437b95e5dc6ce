package dev.ballast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.InputException;
import dev.ballast.lm.bench.BenchConfig;
import dev.ballast.lm.bench.ThroughputBenchmark;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ballast bench}: training and generation throughput on the reference configurations. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure training and generation speed on reference configurations.",
                "Times training (forward + backward + clip + Adam) and single-stream generation",
                "on the configurations of the PyTorch reference (torch_lstm_bench.py) and",
                "reports GFLOP/s. The first repeat warms up first (training at least 3 s,",
                "generation at least 5,000 tokens and 1 s) so that the JIT has compiled the",
                "kernels: the rates are the ones a run settles at."},
        footer = {"", "Examples:", "  ballast bench", "  ballast bench --config char-lstm-2x256 --threads 1 --json"})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "NAME", description = "char-lstm-2x256, char-lstm-2x512, char-rnn-1x512 or word-lstm-2x200 (default: all).")
    String config;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Compute threads, 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed training steps per repeat (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Repeats; medians are reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--tokenize", paramLabel = "PATH|NAME", description = "Corpus whose word tokenization throughput is measured (default: tinyshakespeare when BALLAST_CORPORA has it, else the built-in corpus; best of 5 passes).")
    String tokenize;

    @Option(names = "--json", description = "Print one JSON object per config: config, train_tokens_per_s, gen_tokens_per_s, threads, gflops, peak_gflops, alloc_bytes_per_step, gc_count, gc_ms, max_heap_mb; then one with tokenization_mb_per_s.")
    boolean json;

    @Override
    public Integer call() {
        dev.ballast.engine.ResourceLimits.checkThreads("--threads", threads);
        if (steps < 1 || repeats < 1) {
            throw new InputException("--steps and --repeats must be at least 1");
        }
        List<BenchConfig> configs = config == null ? BenchConfig.ALL : List.of(BenchConfig.named(config));
        if (tokenize != null && !dev.ballast.corpora.CorpusResolver.isBuiltin(tokenize)) {
            dev.ballast.corpora.CorpusResolver.resolve(tokenize); // a missing corpus fails now, not after the benchmarks
        }
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        Kernels kernels = KernelProvider.best(t);
        PrintWriter out = spec.commandLine().getOut();
        double peak = ThroughputBenchmark.peakGflops(kernels, 7);
        if (!json) {
            out.printf(Locale.ROOT, "kernels %s, matrix-multiply peak %.1f GFLOP/s (1024^3, best of 7), heap limit %,d MB%n",
                    kernels.name(), peak, Runtime.getRuntime().maxMemory() >> 20);
            out.printf(Locale.ROOT, "%-18s %14s %14s %9s %7s %12s %12s%n", "config", "train tok/s", "gen tok/s", "GFLOP/s",
                    "peak", "alloc/step", "GC in train");
            out.flush();
        }
        for (BenchConfig c : configs) {
            ThroughputBenchmark.Result r = ThroughputBenchmark.run(c, kernels, t, steps, repeats, peak);
            if (json) {
                ObjectNode n = JsonNodeFactory.instance.objectNode();
                n.put("config", c.name());
                n.put("train_tokens_per_s", Math.round(r.trainTokensPerSecond() * 10) / 10.0);
                n.put("gen_tokens_per_s", Math.round(r.genTokensPerSecond() * 10) / 10.0);
                n.put("threads", t);
                n.put("gflops", Math.round(r.gflops() * 10) / 10.0);
                n.put("peak_gflops", Math.round(peak * 10) / 10.0);
                n.put("kernels", kernels.name());
                n.put("alloc_bytes_per_step", r.allocatedBytesPerStep());
                n.put("gc_count", r.trainMemory().gcCount());
                n.put("gc_ms", r.trainMemory().gcMillis());
                n.put("max_heap_mb", r.trainMemory().maxHeapBytes() >> 20);
                out.println(n.toString());
            } else {
                long alloc = r.allocatedBytesPerStep();
                out.printf(Locale.ROOT, "%-18s %,14.0f %,14.0f %9.1f %6.0f%% %12s %12s%n", c.name(), r.trainTokensPerSecond(),
                        r.genTokensPerSecond(), r.gflops(), 100 * r.peakFraction(),
                        alloc < 0 ? "n/a" : String.format(Locale.ROOT, "%,.1f KB", alloc / 1024.0),
                        r.trainMemory().gcCount() + " / " + r.trainMemory().gcMillis() + " ms");
            }
            out.flush();
        }
        benchTokenization(out);
        return 0;
    }

    /** Word tokenization throughput with the default language-model analyzer (best of 3 passes). */
    private void benchTokenization(PrintWriter out) {
        java.nio.file.Path corpus;
        String name;
        try {
            name = tokenize != null ? tokenize : "tinyshakespeare";
            corpus = dev.ballast.corpora.CorpusResolver.isBuiltin(name) ? null : dev.ballast.corpora.CorpusResolver.resolve(name);
        } catch (dev.ballast.corpora.CorpusException e) {
            if (tokenize != null) {
                throw e;
            }
            name = dev.ballast.corpora.CorpusResolver.BUILTIN;
            corpus = null;
        }
        try {
            if (corpus == null) {
                corpus = java.nio.file.Files.createTempFile("ballast-bench", ".txt");
                corpus.toFile().deleteOnExit();
                java.nio.file.Files.writeString(corpus, dev.ballast.corpora.DefaultCorpus.text());
            }
            if (java.nio.file.Files.isDirectory(corpus)) {
                try (var files = java.nio.file.Files.list(corpus)) {
                    corpus = files.filter(java.nio.file.Files::isRegularFile).sorted().findFirst().orElse(corpus);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        dev.ballast.tokenizer.word.TokenizationBenchmark.Result r = dev.ballast.tokenizer.word.TokenizationBenchmark.run(
                corpus, dev.ballast.tokenizer.word.AnalyzerSpec.parse(dev.ballast.tokenizer.word.AnalyzerSpec.DEFAULT), 5);
        if (json) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("tokenization", name);
            n.put("analyzer", r.analyzer());
            n.put("tokenization_mb_per_s", Math.round(r.megabytesPerSecond() * 10) / 10.0);
            n.put("tokens_per_s", Math.round(r.tokensPerSecond()));
            out.println(n.toString());
        } else {
            out.printf(Locale.ROOT, "word tokenization (%s analyzer, %s): %.1f MB/s, %,.0f tokens/s%n",
                    r.analyzer(), name, r.megabytesPerSecond(), r.tokensPerSecond());
        }
        out.flush();
    }
}
