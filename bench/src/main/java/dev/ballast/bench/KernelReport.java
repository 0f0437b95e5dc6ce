package dev.ballast.bench;

import dev.ballast.engine.math.Kernels;
import java.util.Arrays;
import java.util.Locale;

/**
 * A quick GFLOP/s table without JMH's full protocol: for each shape and kernel choice, warm up,
 * then time {@code runs} calls and print the median. Run with
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.ballast.bench.KernelReport [runs] [SHAPE...]}.
 */
public final class KernelReport {

    /** {@code -Dscalar=false} skips the slow scalar column (seconds per call on the big shapes). */
    private static final boolean WITH_SCALAR = !"false".equals(System.getProperty("scalar"));

    /**
     * {@code -Dclock=cpu} times the calling thread's CPU time instead of wall time and reports the
     * best run: on a machine shared with other jobs this removes time slices lost to them, which
     * makes single-threaded kernel variants comparable (the two-thread column is then meaningless).
     */
    private static final boolean CPU_CLOCK = "cpu".equals(System.getProperty("clock"));
    private static final java.lang.management.ThreadMXBean CLOCK =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private KernelReport() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        GemmShape[] shapes = args.length > 1
                ? Arrays.stream(args, 1, args.length).map(GemmShape::valueOf).toArray(GemmShape[]::new)
                : GemmShape.values();
        System.out.printf(Locale.ROOT, "%-46s %10s %10s %10s%n", "shape (GFLOP/s, median)", "scalar",
                KernelChoice.VECTOR_1.create().name(), KernelChoice.VECTOR_2.create().name());
        for (GemmShape shape : shapes) {
            GemmOperands ops = new GemmOperands(shape, 1);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-46s", shape));
            for (KernelChoice choice : KernelChoice.values()) {
                if (choice == KernelChoice.SCALAR && !WITH_SCALAR) {
                    row.append(String.format(Locale.ROOT, " %10s", "-"));
                    continue;
                }
                // The scalar kernels take seconds on the largest shapes: fewer runs there.
                int n = choice == KernelChoice.SCALAR ? Math.min(runs, 3) : runs;
                row.append(String.format(Locale.ROOT, " %10.1f", medianGflops(ops, choice.create(), n)));
            }
            System.out.println(row);
        }
    }

    private static long now() {
        return CPU_CLOCK ? CLOCK.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static double medianGflops(GemmOperands ops, Kernels kernels, int runs) {
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        int warm = 0;
        while (warm < 1 || (System.nanoTime() < warmEnd && warm < 200)) {
            ops.multiply(kernels);
            warm++;
        }
        int reps = Math.max(1, (int) (5e7 / ops.shape.flops()));  // batch tiny shapes to ~50 MFLOP per sample
        double[] gflops = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = now();
            for (int i = 0; i < reps; i++) {
                ops.multiply(kernels);
            }
            gflops[r] = ops.shape.flops() * reps / (now() - t0);
        }
        Arrays.sort(gflops);
        return CPU_CLOCK ? gflops[runs - 1] : gflops[runs / 2];
    }
}
