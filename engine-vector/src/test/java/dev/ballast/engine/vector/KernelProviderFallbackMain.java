package dev.ballast.engine.vector;

import dev.ballast.engine.math.KernelProvider;

/** Run by {@link KernelProviderTest} in a JVM without the Vector API: prints what best() chose, twice. */
public final class KernelProviderFallbackMain {

    private KernelProviderFallbackMain() {
    }

    public static void main(String[] args) {
        System.out.println(KernelProvider.vectorAvailable() + " " + KernelProvider.best(2).name());
        System.out.println(KernelProvider.best(1).name());
    }
}
