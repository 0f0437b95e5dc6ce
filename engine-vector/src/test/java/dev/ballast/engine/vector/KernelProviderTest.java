package dev.ballast.engine.vector;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.ScalarKernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    void fallsBackToScalarWithOneNoticeWhenTheModuleIsMissing() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                KernelProviderFallbackMain.class.getName())).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertEquals("false scalar\nscalar\n", out.replace("\r", ""));
        assertEquals(KernelProvider.FALLBACK_NOTICE + "\n", err.replace("\r", ""));
    }

    @Test
    void rejectsNegativeThreads() {
        assertThrows(IllegalArgumentException.class, () -> KernelProvider.best(-1));
    }
}
