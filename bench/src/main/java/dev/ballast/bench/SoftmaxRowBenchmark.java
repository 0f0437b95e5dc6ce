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
 * The row kernels of the softmax (max, then exp of the shifted row and its sum) on one row of
 * logits, and the bias gradient's column sums over a (rows, cols) block. Row lengths: the word
 * model's 7,596 (a tail of 12 lanes with 16-lane vectors), 7,600 (no tail) and the char models' 65;
 * the two long ones should cost the same — with an earlier tail scheme 7,596 ran 3.4x slower.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftmaxRowBenchmark {

    @Param({"7596", "7600", "65"})
    public int length;

    @Param({"SCALAR", "VECTOR_1"})
    public KernelChoice kernels;

    private float[] row;
    private float[] out;
    private float[] block;
    private float[] sums;
    private Kernels impl;

    /** The bias-gradient block: the word model's (400 tokens, 7,596 words) is the largest. */
    private static final int ROWS = 400;

    @Setup
    public void setUp() {
        Rng rng = new Rng(5);
        row = new float[length];
        for (int i = 0; i < length; i++) {
            row[i] = (float) (rng.nextGaussian() * 3);
        }
        out = new float[length];
        block = new float[ROWS * length];
        for (int i = 0; i < block.length; i++) {
            block[i] = (float) rng.nextGaussian();
        }
        sums = new float[length];
        impl = kernels.create();
    }

    @Benchmark
    public double maxThenExp() {
        float max = impl.max(row, 0, length);
        return impl.expShifted(row, 0, length, max, out, 0);
    }

    @Benchmark
    public float[] columnSums() {
        impl.addColumnSums(ROWS, length, block, 0, length, sums);
        return sums;
    }
}
