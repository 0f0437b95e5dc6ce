package dev.ballast.lm.bench;

import dev.ballast.engine.optim.ClipMode;

import dev.ballast.engine.optim.OptimizerKind;

import dev.ballast.engine.Rng;
import dev.ballast.lm.generate.Sampler;
import dev.ballast.lm.generate.SamplingOptions;
import dev.ballast.engine.math.Kernels;
import dev.ballast.lm.LanguageModel;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.engine.optim.Clippers;
import dev.ballast.engine.optim.OptimizerSettings;
import dev.ballast.engine.optim.Regularizer;
import dev.ballast.training.Trainer;
import dev.ballast.training.TrainerSettings;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.stability.StabilityGuard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times what the PyTorch reference times: a training step is forward + backward + global-norm
 * clip 5 + Adam (lr 2e-3), taken by the same {@link Trainer} that {@code ballast train} runs (with its
 * stability monitor and guard); generation is single-stream
 * sampling, one token at a time, timed over {@link #GEN_TOKENS} tokens. The reference warms
 * generation up with 20 tokens, which is all an interpreter-free engine needs; the JVM runs the
 * generation path interpreted and then half-compiled for its first few thousand tokens (about 3x
 * slower over the first 5,000 at 2x256), so the first repeat warms up for {@link #GEN_WARM_TOKENS}
 * tokens and at least {@link #GEN_WARM_NANOS} first: the rate reported is the one a long generation
 * or a server settles at. Training likewise: the reference times its steps after 5 warm-up steps;
 * the first repeat here warms up for at least 5 steps and {@link #TRAIN_WARM_NANOS}, because 5 steps
 * of the 1x512 RNN take 0.15 s, while C2 is still compiling (on the core the second kernel thread
 * needs) and the half-compiled kernels box their vectors (0.3-0.7 MB allocated per step). Token ids
 * are drawn at random — the arithmetic does not depend on which tokens they are.
 */
public final class ThroughputBenchmark {

    /**
     * Medians over the repeats; {@code trainMemory} covers the timed training steps of all repeats
     * together (allocation, collections and their time), {@code timedSteps} of them.
     */
    public record Result(BenchConfig config, String kernels, int threads, double trainTokensPerSecond,
                         double genTokensPerSecond, double gflops, double peakGflops,
                         MemoryMeter.Usage trainMemory, int timedSteps) {

        /** Bytes allocated per timed training step, all threads; -1 when the JVM cannot count them. */
        public long allocatedBytesPerStep() {
            return trainMemory.allocatedBytes() < 0 ? -1 : trainMemory.allocatedBytes() / timedSteps;
        }

        public double peakFraction() {
            return gflops / peakGflops;
        }
    }

    private ThroughputBenchmark() {
    }

    /**
     * @param steps   timed training steps per repeat
     * @param repeats how many times to time; the medians are reported
     */
    public static Result run(BenchConfig config, Kernels kernels, int threads, int steps, int repeats, double peakGflops) {
        LanguageModel model = new LanguageModel(config.modelConfig(), kernels);
        model.initialize(new Rng(1));
        int n = config.seq() * config.batch();
        double[] train = new double[repeats];
        double[] gen = new double[repeats];
        long allocated = 0;
        long gcCount = 0;
        long gcMillis = 0;
        Path scratch = scratchDirectory();
        Trainer<BenchTask> trainer = new Trainer<>(settings(), new BenchTask(config, model), scratch, null);
        Runnable step = () -> trainer.steps(1);
        for (int r = 0; r < repeats; r++) {
            int warm = r == 0 ? 5 : 1;
            long warmEnd = System.nanoTime() + (r == 0 ? TRAIN_WARM_NANOS : 0);
            for (int s = 0; s < warm || System.nanoTime() < warmEnd; s++) {
                step.run();
            }
            MemoryMeter meter = MemoryMeter.start();
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                step.run();
            }
            train[r] = (double) steps * n / ((System.nanoTime() - t0) * 1e-9);
            MemoryMeter.Usage u = meter.stop();
            allocated = allocated < 0 || u.allocatedBytes() < 0 ? -1 : allocated + u.allocatedBytes();
            gcCount += u.gcCount();
            gcMillis += u.gcMillis();
            gen[r] = generationSpeed(model, config, r == 0, GEN_TOKENS);
        }
        deleteQuietly(scratch);
        double trainMedian = median(train);
        MemoryMeter.Usage memory = new MemoryMeter.Usage(allocated, gcCount, gcMillis, Runtime.getRuntime().maxMemory());
        return new Result(config, kernels.name(), threads, trainMedian, median(gen),
                trainMedian * config.trainFlopsPerToken() * 1e-9, peakGflops, memory, steps * repeats);
    }

    /**
     * What the reference trains with (Adam 2e-3, global-norm clip 5, constant rate) and what {@code train}
     * adds by default: the stability monitor and guard, recovery on; the periodic diagnosis is off, as the
     * reference has none.
     */
    static TrainerSettings settings() {
        return new TrainerSettings(Long.MAX_VALUE, 1, OptimizerKind.ADAM, 2e-3f, OptimizerSettings.defaults(), "constant",
                ClipMode.GLOBAL_NORM, 5.0, 1.0, Clippers.DEFAULT_PERCENTILE, Clippers.DEFAULT_RATIO,
                new Regularizer(0, 0, false), 0, true, StabilityGuard.Rules.DEFAULTS, 0, 0);
    }

    /** The trainer needs a run directory; the benchmark writes nothing into it. */
    private static Path scratchDirectory() {
        try {
            return Files.createTempDirectory("ballast-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            CheckpointStore.deleteRecursively(dir);
        } catch (IOException e) {
            // a leftover empty temporary directory is harmless
        }
    }

    /** Training warm-up of the first repeat: at least this long, besides at least 5 steps. */
    static final long TRAIN_WARM_NANOS = 3_000_000_000L;

    /** Timed generation tokens per repeat. */
    static final int GEN_TOKENS = 2000;
    /** Generation warm-up of the first repeat: this many tokens and at least {@link #GEN_WARM_NANOS}. */
    static final int GEN_WARM_TOKENS = 5000;
    static final long GEN_WARM_NANOS = 1_000_000_000L;

    private static double generationSpeed(LanguageModel model, BenchConfig config, boolean first, int tokens) {
        RecurrentState state = config.modelConfig().newState(1);
        Sampler sampler = new Sampler(SamplingOptions.DEFAULT, new Rng(2));
        float[] logits = new float[config.vocab()];
        int[] token = {0};
        LanguageModel.InputCache cache = model.newInputCache(); // as LanguageModelPredictor generates
        long warmEnd = System.nanoTime() + (first ? GEN_WARM_NANOS : 0);
        int warm = first ? GEN_WARM_TOKENS : 20;
        for (int i = 0; i < warm || System.nanoTime() < warmEnd; i++) {
            model.logits(token, 1, 1, state, logits, cache);
            token[0] = sampler.sample(logits, 0, config.vocab());
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < tokens; i++) {
            model.logits(token, 1, 1, state, logits, cache);
            token[0] = sampler.sample(logits, 0, config.vocab());
        }
        return tokens / ((System.nanoTime() - t0) * 1e-9);
    }

    /**
     * The kernels' matrix-multiply rate on a large square product, the yardstick for "fraction of
     * peak": the best GFLOP/s of {@code repeats} 1024³ multiplies (a peak is the best the kernels do; the
     * median moved by tens of percent between runs on a 2-core machine).
     */
    public static double peakGflops(Kernels kernels, int repeats) {
        int s = 1024;
        float[] a = new float[s * s];
        float[] b = new float[s * s];
        float[] c = new float[s * s];
        Rng rng = new Rng(3);
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextFloat() - 0.5f;
            b[i] = rng.nextFloat() - 0.5f;
        }
        for (int w = 0; w < 3; w++) {
            kernels.gemm(false, false, s, s, s, a, b, 0f, c); // warm-up: the first calls run before C2 has compiled the kernel
        }
        double[] rates = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            kernels.gemm(false, false, s, s, s, a, b, 0f, c);
            rates[r] = 2.0 * s * s * s / ((System.nanoTime() - t0) * 1e-9) * 1e-9;
        }
        return Arrays.stream(rates).max().orElseThrow();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
