package dev.ballast.trainer.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Surefire enables jdk.incubator.vector, so the provider must pick the vector kernels. */
class KernelProviderTest {

    @Test
    void choosesVectorKernelsWhenTheModuleIsEnabled() {
        assertTrue(KernelProvider.vectorAvailable());
        Kernels k = KernelProvider.best(2);
        assertInstanceOf(VectorKernels.class, k);
        assertTrue(k.name().endsWith("x2"), k.name());
    }

    @Test
    void zeroThreadsMeansOnePerCore() {
        VectorKernels k = (VectorKernels) KernelProvider.best(0);
        assertEquals(Runtime.getRuntime().availableProcessors(), k.threads());
    }

    @Test
    void scalarIsTheReference() {
        assertSame(ScalarKernels.INSTANCE, KernelProvider.scalar());
    }

    @Test
    void rejectsNegativeThreads() {
        assertThrows(IllegalArgumentException.class, () -> KernelProvider.best(-1));
    }
}
