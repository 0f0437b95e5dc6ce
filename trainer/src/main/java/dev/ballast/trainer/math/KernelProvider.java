package dev.ballast.trainer.math;

/**
 * Chooses the fastest available {@link Kernels}. The Vector API implementation is used when the
 * {@code jdk.incubator.vector} module is enabled (the {@code ballast} launcher enables it);
 * otherwise one notice is logged and the scalar kernels are used.
 */
public final class KernelProvider {

    private KernelProvider() {
    }

    /** The scalar reference kernels. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The best kernels for this JVM using {@code threads} threads (0 means one per available core).
     */
    public static Kernels best(int threads) {
        // Replaced by the Vector API implementation in the speed work; scalar until then.
        return ScalarKernels.INSTANCE;
    }
}
