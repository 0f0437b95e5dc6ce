package dev.ballast.tokenizer.word;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;

/**
 * Measures word tokenization throughput on a file: the streaming analysis plus interning that a
 * word-level training run does, without keeping the text. For {@code ballast bench}.
 *
 * <pre>{@code
 * TokenizationBenchmark.Result r = TokenizationBenchmark.run(Path.of("input.txt"));
 * System.out.printf("%.1f MB/s%n", r.megabytesPerSecond());
 * }</pre>
 */
public final class TokenizationBenchmark {

    private TokenizationBenchmark() {
    }

    /**
     * @param bytes   size of the file
     * @param tokens  words produced, end-of-line markers included
     * @param types   distinct words
     * @param seconds wall time of the fastest pass
     */
    public record Result(String analyzer, long bytes, long tokens, int types, double seconds) {
        /** Throughput in MB/s (10^6 bytes). */
        public double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }

        public double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** Default analyzer, one warm-up pass and the best of three timed passes. */
    public static Result run(Path corpus) {
        return run(corpus, AnalyzerSpec.defaults(), 3);
    }

    public static Result run(Path corpus, AnalyzerSpec spec, int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be at least 1, got " + passes);
        }
        try {
            long bytes = Files.size(corpus);
            pass(corpus, spec); // warm-up: JIT and the analyzer's lazy setup
            double best = Double.MAX_VALUE;
            long tokens = 0;
            int types = 0;
            for (int i = 0; i < passes; i++) {
                long t0 = System.nanoTime();
                WordStream words = pass(corpus, spec); // dropped before the next pass: one id array at a time
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                tokens = words.length();
                types = words.types().size();
            }
            return new Result(spec.spec(), bytes, tokens, types, best);
        } catch (IOException e) {
            throw new UncheckedIOException(corpus + ": " + e.getMessage(), e);
        }
    }

    private static WordStream pass(Path corpus, AnalyzerSpec spec) throws IOException {
        try (Reader r = new InputStreamReader(Files.newInputStream(corpus), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            return WordStream.read(spec, r);
        }
    }
}
