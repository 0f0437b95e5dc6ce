package dev.ballast.engine.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One row of C from one row of op(A) and a B stored (k, n): the gemv-like case of generation with
 * batch 1, where packing would cost as much as the multiply. Vectorized along n, four vectors at a
 * time, reading B rows in place.
 *
 * <p>Each element is {@code c = fma(a_p, b_p, c)} for p = 0 .. k-1, the same order as the packed
 * micro-kernel, including the scalar tail ({@link Math#fma} rounds exactly like a vector lane).
 */
final class RowKernel {

    private static final VectorSpecies<Float> S = PackedGemm.S;
    private static final int L = PackedGemm.L;

    private RowKernel() {
    }

    /** {@code c[cOff + j] (+)= sum_p a(0, p) * b(p, j)} for j in [0, n); b must have colStride 1. */
    static void row(int n, int k, PackedGemm.Operand a, PackedGemm.Operand b,
                    boolean accumulate, float[] c, int cOff) {
        float[] av = a.data();
        int aOff = a.off();
        int aStep = a.colStride();
        float[] bv = b.data();
        int bOff = b.off();
        int ldb = b.rowStride();
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector z = FloatVector.zero(S);
            FloatVector r0 = accumulate ? FloatVector.fromArray(S, c, cOff + j) : z;
            FloatVector r1 = accumulate ? FloatVector.fromArray(S, c, cOff + j + L) : z;
            FloatVector r2 = accumulate ? FloatVector.fromArray(S, c, cOff + j + 2 * L) : z;
            FloatVector r3 = accumulate ? FloatVector.fromArray(S, c, cOff + j + 3 * L) : z;
            for (int p = 0; p < k; p++) {
                FloatVector x = FloatVector.broadcast(S, av[aOff + p * aStep]);
                int bi = bOff + p * ldb + j;
                r0 = x.fma(FloatVector.fromArray(S, bv, bi), r0);
                r1 = x.fma(FloatVector.fromArray(S, bv, bi + L), r1);
                r2 = x.fma(FloatVector.fromArray(S, bv, bi + 2 * L), r2);
                r3 = x.fma(FloatVector.fromArray(S, bv, bi + 3 * L), r3);
            }
            r0.intoArray(c, cOff + j);
            r1.intoArray(c, cOff + j + L);
            r2.intoArray(c, cOff + j + 2 * L);
            r3.intoArray(c, cOff + j + 3 * L);
        }
        for (; j + L <= n; j += L) {
            FloatVector r = accumulate ? FloatVector.fromArray(S, c, cOff + j) : FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector x = FloatVector.broadcast(S, av[aOff + p * aStep]);
                r = x.fma(FloatVector.fromArray(S, bv, bOff + p * ldb + j), r);
            }
            r.intoArray(c, cOff + j);
        }
        for (; j < n; j++) {
            float r = accumulate ? c[cOff + j] : 0f;
            for (int p = 0; p < k; p++) {
                r = Math.fma(av[aOff + p * aStep], bv[bOff + p * ldb + j], r);
            }
            c[cOff + j] = r;
        }
    }
}
