package dev.ballast.bench;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-place sigmoid and tanh over one LSTM gate block, (B = 50, 4H = 2048) floats. The input is
 * restored from a copy before each call so every call sees the same pre-activations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationBenchmark {

    @Param({"102400"})
    public int size;

    @Param({"SCALAR", "VECTOR_1"})
    public KernelChoice kernels;

    private float[] input;
    private float[] x;
    private Kernels impl;

    @Setup
    public void setUp() {
        Rng rng = new Rng(3);
        input = new float[size];
        for (int i = 0; i < size; i++) {
            input[i] = (float) (rng.nextGaussian() * 4);
        }
        x = new float[size];
        impl = kernels.create();
    }

    @Benchmark
    public float[] sigmoid() {
        System.arraycopy(input, 0, x, 0, size);
        impl.sigmoid(x, 0, size);
        return x;
    }

    @Benchmark
    public float[] tanh() {
        System.arraycopy(input, 0, x, 0, size);
        impl.tanh(x, 0, size);
        return x;
    }
}
