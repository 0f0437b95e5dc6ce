package dev.ballast.bench;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;

/** Random operands for one {@link GemmShape}, stored densely, and a way to multiply them. */
final class GemmOperands {

    final GemmShape shape;
    final float[] a;
    final float[] b;
    final float[] c;

    GemmOperands(GemmShape shape, long seed) {
        this.shape = shape;
        Rng rng = new Rng(seed);
        this.a = random(shape.m * shape.k, rng);
        this.b = random(shape.k * shape.n, rng);
        this.c = new float[shape.m * shape.n];
    }

    void multiply(Kernels kernels) {
        GemmShape s = shape;
        kernels.gemm(s.transA, s.transB, s.m, s.n, s.k, a, b, s.beta, c);
    }

    private static float[] random(int size, Rng rng) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            // Scaled so that accumulating (beta 1) for many iterations stays far from overflow.
            x[i] = (float) (rng.nextGaussian() * 0.01);
        }
        return x;
    }
}
