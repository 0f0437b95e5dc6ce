package dev.ballast.bench;

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
 * Time of one gemm per {@link GemmShape} and {@link KernelChoice}; GFLOP/s = shape.flops() / time.
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark}
 * (the forks get the module from {@link Fork#jvmArgsAppend}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    @Param
    public GemmShape shape;

    @Param({"SCALAR", "VECTOR_1", "VECTOR_2"})
    public KernelChoice kernels;

    private GemmOperands operands;
    private Kernels impl;

    @Setup
    public void setUp() {
        operands = new GemmOperands(shape, 1);
        impl = kernels.create();
    }

    @Benchmark
    public float[] gemm() {
        operands.multiply(impl);
        return operands.c;
    }
}
