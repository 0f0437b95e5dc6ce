package dev.ballast.bench;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;

/** The kernels compared by the benchmarks: the scalar reference and the best kernels on 1 or 2 threads. */
public enum KernelChoice {
    SCALAR, VECTOR_1, VECTOR_2;

    Kernels create() {
        switch (this) {
            case SCALAR:
                return KernelProvider.scalar();
            case VECTOR_1:
                return KernelProvider.best(1);
            default:
                return KernelProvider.best(2);
        }
    }
}
