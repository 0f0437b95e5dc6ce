package dev.ballast.engine.vector;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Keeps the vectorized activations compiled as units of their own. The Vector API only runs at
 * register speed when C2 inlines a function's whole call tree, so that no vector ever leaves a
 * register as a Java object. {@code VectorActivations.tanh(float[], ...)} inlines fine on its own,
 * but when C2 also inlines it into a large caller (the recurrent layer's forward, the softmax) it
 * runs out of its node budget half way down the tree, and every intermediate vector of the part
 * left out of line is allocated on the heap: measured on JDK 17, 31 MB per training step of the
 * 1x512 RNN and 68 MB of the 2x256 LSTM, against under 1 MB with this in place.
 *
 * The other way round, if C2 happened to compile a per-vector function ({@code tanh(FloatVector)})
 * on its own first, it later refuses to inline that "big" compiled method into the loop, with the
 * same result (seen in one bench run of six: 421 MB per step, 37 collections in 30 steps).
 *
 * <p>HotSpot takes compiler directives at run time (what {@code jcmd Compiler.directives_add} does);
 * this adds one that applies only while compiling Ballast's own methods: never inline the array-level
 * entry points (the activations, the fused LSTM backward, the gemm micro-kernels) into a caller, and
 * always inline every other method of {@code VectorActivations} (the per-vector functions) into them.
 * Without the last two entries a word-model bench run allocated 25 MB per step, and an RNN run under
 * JFR 74 MB, its micro-kernel running the FMA's Java fallback. Other code in the JVM is untouched. On a
 * JVM without the diagnostic command this does nothing and the kernels are merely slower at times.
 */
final class JitDirectives {

    private static final String DIRECTIVE = """
            [{ match: "dev/ballast/*.*",
               inline: ["-dev/ballast/engine/vector/VectorActivations.sigmoid([FII)V",
                        "-dev/ballast/engine/vector/VectorActivations.tanh([FII)V",
                        "-dev/ballast/engine/vector/VectorActivations.expShifted([FIIF[FI)D",
                        "-dev/ballast/engine/vector/VectorActivations.max([FII)F",
                        "-dev/ballast/engine/vector/VectorActivations.addColumnSums4",
                        "-dev/ballast/engine/vector/VectorLstmCell.backward",
                        "-dev/ballast/engine/vector/PackedGemm.microKernel6x2",
                        "-dev/ballast/engine/vector/PackedGemm.microKernel8x3",
                        "-dev/ballast/engine/vector/PackedGemm.microKernel8x2",
                        "-dev/ballast/engine/vector/PackedGemm.microKernel8x1",
                        "+dev/ballast/engine/vector/VectorActivations.*"] }]
            """;

    private static boolean applied;

    private JitDirectives() {
    }

    /** Adds the directive once per JVM; true when it is in force. */
    static synchronized boolean apply() {
        if (!applied) {
            applied = add();
        }
        return applied;
    }

    private static boolean add() {
        Path file = null;
        try {
            file = Files.createTempFile("ballast-jit", ".json");
            Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object reply = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}},
                    new String[] {String[].class.getName()});
            return String.valueOf(reply).contains("1 compiler directives added");
        } catch (Exception | LinkageError e) {
            return false; // not HotSpot, or management is unavailable: correct results, only slower
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (java.io.IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
