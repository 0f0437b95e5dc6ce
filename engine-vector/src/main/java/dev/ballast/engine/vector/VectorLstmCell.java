package dev.ballast.engine.vector;

import dev.ballast.engine.math.LstmCell;

import jdk.incubator.vector.FloatVector;
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
        int L = S.length();
        int vectorEnd = hidden - hidden % L;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int r = 0; r < rows; r++) {
            int gi = gOff + r * 4 * hidden;        // gate block k of row r starts at gi + k*H
            int go = dgOff + r * 4 * hidden;
            int s = r * hidden;
            for (int j = 0; j < vectorEnd; j += L) {
                FloatVector i = FloatVector.fromArray(S, gates, gi + j);
                FloatVector f = FloatVector.fromArray(S, gates, gi + hidden + j);
                FloatVector g = FloatVector.fromArray(S, gates, gi + 2 * hidden + j);
                FloatVector o = FloatVector.fromArray(S, gates, gi + 3 * hidden + j);
                FloatVector tc = FloatVector.fromArray(S, tanhC, tOff + s + j);
                FloatVector d = FloatVector.fromArray(S, dh, dhOff + s + j);
                FloatVector cp = FloatVector.fromArray(S, cPrev, cPrevOff + s + j);
                FloatVector dc = FloatVector.fromArray(S, dcNext, dcOff + s + j).add(d.mul(o).mul(one.sub(tc.mul(tc))));
                dc.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, go + j);
                dc.mul(cp).mul(f).mul(one.sub(f)).intoArray(dGates, go + hidden + j);
                dc.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, go + 2 * hidden + j);
                d.mul(tc).mul(o).mul(one.sub(o)).intoArray(dGates, go + 3 * hidden + j);
                dc.mul(f).intoArray(dcNext, dcOff + s + j);
            }
            // The last H mod L lanes in scalar code: the same operations, so the same bits. (Masked vector
            // loads and stores fall back to allocating Java code in JDK 17.)
            LstmCell.backwardRow(r, vectorEnd, hidden, hidden, gates, gOff, cPrev, cPrevOff, tanhC, tOff, dh, dhOff,
                    dcNext, dcOff, dGates, dgOff);
        }
    }
}
