package dev.ballast.trainer.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward of {@link LstmCell} fused on the Vector API: one pass per row computes all four
 * gate gradients and the carried cell gradient while the lanes are in registers (the scalar loop
 * it replaces was the largest element-wise cost of a step). Every expression is evaluated in
 * {@link LstmCell}'s order with separate multiplies and adds, so the results are the same bits.
 *
 * <p>There is no fused forward on purpose: it has to call the vector sigmoid and tanh, and inside a
 * larger loop C2 runs out of its inlining budget for them, passes the vectors out of line and
 * allocates every intermediate on the heap (measured: ~0.5 GB per training step of the 2x512
 * model, dozens of collections). The forward goes through {@link LstmCell} with the vector
 * activations' own array loops, which do inline.
 */
final class VectorLstmCell {

    private static final VectorSpecies<Float> S = PackedGemm.S;

    private VectorLstmCell() {
    }

    static void backward(int rows, int hidden, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                         float[] tanhC, int tOff, float[] dh, int dhOff, float[] dcNext, int dcOff,
                         float[] dGates, int dgOff) {
        int h4 = 4 * hidden;
        for (int r = 0; r < rows; r++) {
            int row = r * h4;
            int s = r * hidden;
            int j = 0;
            for (; j + S.length() <= hidden; j += S.length()) {
                backwardLanes(null, gates, gOff + row + j, hidden, cPrev, cPrevOff + s + j, tanhC, tOff + s + j,
                        dh, dhOff + s + j, dcNext, dcOff + s + j, dGates, dgOff + row + j);
            }
            if (j < hidden) {
                backwardLanes(S.indexInRange(j, hidden), gates, gOff + row + j, hidden, cPrev, cPrevOff + s + j,
                        tanhC, tOff + s + j, dh, dhOff + s + j, dcNext, dcOff + s + j, dGates, dgOff + row + j);
            }
        }
    }

    private static void backwardLanes(VectorMask<Float> m, float[] gates, int g, int hidden, float[] cPrev, int cp,
                                      float[] tanhC, int tc, float[] dh, int dhi, float[] dcNext, int dci,
                                      float[] dGates, int dg) {
        FloatVector i = load(gates, g, m);
        FloatVector f = load(gates, g + hidden, m);
        FloatVector gg = load(gates, g + 2 * hidden, m);
        FloatVector o = load(gates, g + 3 * hidden, m);
        FloatVector t = load(tanhC, tc, m);
        FloatVector d = load(dh, dhi, m);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector dc = load(dcNext, dci, m).add(d.mul(o).mul(one.sub(t.mul(t))));
        store(dc.mul(gg).mul(i).mul(one.sub(i)), dGates, dg, m);
        store(dc.mul(load(cPrev, cp, m)).mul(f).mul(one.sub(f)), dGates, dg + hidden, m);
        store(dc.mul(i).mul(one.sub(gg.mul(gg))), dGates, dg + 2 * hidden, m);
        store(d.mul(t).mul(o).mul(one.sub(o)), dGates, dg + 3 * hidden, m);
        store(dc.mul(f), dcNext, dci, m);
    }

    /** A full vector when {@code m} is null (the common case, unmasked), else the lanes of the tail. */
    private static FloatVector load(float[] a, int i, VectorMask<Float> m) {
        return m == null ? FloatVector.fromArray(S, a, i) : FloatVector.fromArray(S, a, i, m);
    }

    /**
     * A full vector when {@code m} is null, else the masked lanes only. JDK 17 compiles a masked store
     * into a scalar fallback loop, so where a whole vector fits in the array the tail is merged into
     * what is already there and stored whole (single-threaded, so rewriting the other lanes with their
     * own values is safe).
     */
    private static void store(FloatVector v, float[] a, int i, VectorMask<Float> m) {
        if (m == null) {
            v.intoArray(a, i);
        } else if (i + S.length() <= a.length) {
            FloatVector.fromArray(S, a, i).blend(v, m).intoArray(a, i);
        } else {
            v.intoArray(a, i, m);
        }
    }
}
