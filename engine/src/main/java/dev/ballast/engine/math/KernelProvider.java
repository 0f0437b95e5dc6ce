package dev.ballast.engine.math;


import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Chooses the fastest available {@link Kernels}. The Vector API implementation is used when the
 * {@code jdk.incubator.vector} module is enabled (the {@code ballast} launcher enables it);
 * otherwise one notice is printed to stderr, once per JVM, and the scalar kernels are used.
 *
 * <pre>{@code
 * Kernels kernels = KernelProvider.best(0);   // one thread per core
 * kernels.gemm(false, false, m, n, k, a, b, 0f, c);
 * }</pre>
 */
public final class KernelProvider {

    public static final String FALLBACK_NOTICE = "ballast: Vector API not enabled (start java with "
            + "--add-modules jdk.incubator.vector); using scalar kernels";

    static final String MISSING_NOTICE = "ballast: the vector kernels (ballast-engine-vector) are not on the "
            + "class path; using scalar kernels";

    private static final String VECTOR_KERNELS = "dev.ballast.engine.vector.VectorKernels";
    private static final AtomicBoolean NOTICE_PRINTED = new AtomicBoolean();

    private KernelProvider() {
    }

    /** The scalar reference kernels. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** Whether {@code jdk.incubator.vector} is in the boot layer, so {@code VectorKernels} can load. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The best kernels for this JVM using {@code threads} threads (0 means one per available core).
     * Without the Vector API this is the single-threaded scalar reference.
     */
    public static Kernels best(int threads) {
        // Refused before any thread pool exists: at most 4 per core and 256 (a one-line InputException).
        dev.ballast.engine.ResourceLimits.checkThreads("--threads", threads);
        int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        if (!vectorAvailable()) {
            return fallBack(FALLBACK_NOTICE);
        }
        if (!vectorKernelsPresent()) {
            return fallBack(MISSING_NOTICE);
        }
        return loadVectorKernels(n);
    }

    private static Kernels fallBack(String notice) {
        if (NOTICE_PRINTED.compareAndSet(false, true)) {
            System.err.println(notice);
        }
        return ScalarKernels.INSTANCE;
    }

    /** Whether the ballast-engine-vector module is on the class path (the engine alone runs without it). */
    static boolean vectorKernelsPresent() {
        return KernelProvider.class.getClassLoader().getResource(VECTOR_KERNELS.replace('.', '/') + ".class") != null;
    }

    /** Reflective so that VectorKernels (and the Vector API) is never linked when absent. */
    private static Kernels loadVectorKernels(int threads) {
        try {
            return (Kernels) Class.forName(VECTOR_KERNELS)
                    .getConstructor(int.class)
                    .newInstance(threads);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + VECTOR_KERNELS, e);
        }
    }
}
