package dev.ballast.engine.vector;

import dev.ballast.engine.math.Kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized in-place sigmoid and tanh built on a Cephes-style {@code expf} (range reduction to
 * {@code x = n ln2 + r}, |r| &lt;= ln2/2, degree-5 minimax polynomial for e^r, scale by 2^n through
 * the exponent bits; Moshier, Cephes Math Library, expf.c / tanhf.c). Both stay within a few
 * float ulps of {@link Math#exp} / {@link Math#tanh} in relative error.
 *
 * <p>Edge cases: large |x| saturates to exactly 0 or 1 (sigmoid) and exactly -1 or 1 (tanh);
 * NaN stays NaN; the sign of zero is kept by tanh. <b>No subnormal outputs</b>: the JVM cannot
 * set flush-to-zero, and subnormal operands make later FMAs tens of times slower on x86, so a
 * result that is or nearly is subnormal (sigmoid of x below -87, tanh of a subnormal x) is
 * returned as (signed) 0. The scalar reference does not flush; tests compare with an absolute
 * tolerance of {@link Float#MIN_NORMAL} there.
 */
final class VectorActivations {

    private static final VectorSpecies<Float> S = PackedGemm.S;

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so n * LN2_HI is exact for |n| &lt; 2^11 (Cody-Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = 0x4B400000;
    /**
     * Smallest argument given to exp: just above ln(Float.MIN_NORMAL) = -87.3365, so e^x is always
     * normal; sigmoid returns 0 below it (sigmoid(-87) is 1.6e-38, an absolute error we accept).
     */
    private static final float EXP_MIN_NORMAL_ARG = -87f;
    /** tanh(x) rounds to 1 for x above 9.02; clamping 2|x| here keeps exp away from underflow. */
    private static final float TANH_CLAMP = 20f;
    /** Below this |x| tanh uses its odd polynomial (Cephes tanhf) to avoid cancellation in 1 - e. */
    private static final float TANH_SMALL = 0.625f;

    private VectorActivations() {
    }

    // Tails. A masked tail (masked load and store) made C2 box every vector whenever these loops were
    // inlined into a large caller; a loop that read either x or a padded scratch copy of its tail ran
    // 3.4x slower whenever a tail existed (exp over 7,596 logits: 12.9 against 3.8 us at 7,600); a
    // second vector call site after the loop overran C2's inlining budget and boxed its vectors, and
    // moving it to a small method of its own left that method in C1 at times. So the loop does whole
    // vectors only, with the one call site of the vector function, and the last len % L values go
    // through the same function written for one lane (the *Lane methods below): the same operations
    // on the same float values in the same order (Math.fma for each fma), hence the same bits.
    static void sigmoid(float[] x, int off, int len) {
        int end = off + len;
        int i = off;
        for (; i + S.length() <= end; i += S.length()) {
            sigmoid(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        for (; i < end; i++) {
            x[i] = sigmoidLane(x[i]);
        }
    }

    static void tanh(float[] x, int off, int len) {
        int end = off + len;
        int i = off;
        for (; i + S.length() <= end; i += S.length()) {
            tanh(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        }
        for (; i < end; i++) {
            x[i] = tanhLane(x[i]);
        }
    }

    /**
     * See {@link Kernels#expShifted}: lanes whose result would be below the smallest normal float
     * give 0. The whole vectors are summed lane-wise and then across, the tail one by one after.
     */
    static double expShifted(float[] x, int off, int len, float shift, float[] out, int outOff) {
        FloatVector sh = FloatVector.broadcast(S, shift);
        FloatVector acc = FloatVector.zero(S);
        int end = off + len;
        int toOut = outOff - off;
        int i = off;
        for (; i + S.length() <= end; i += S.length()) {
            FloatVector e = expNormal(FloatVector.fromArray(S, x, i).sub(sh));
            if (out != null) {
                e.intoArray(out, i + toOut);
            }
            acc = acc.add(e);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            float e = expNormalLane(x[i] - shift);
            if (out != null) {
                out[i + toOut] = e;
            }
            sum += e;
        }
        return sum;
    }

    /**
     * {@code sums[sOff + j] += a[aOff + r*lda + j]} for j in [0, 4L), r = 0, 1, .. in order: four
     * vectors of sums kept in registers down all the rows, then stored once.
     */
    static void addColumnSums4(int rows, float[] a, int aOff, int lda, float[] sums, int sOff) {
        int l = S.length();
        FloatVector s0 = FloatVector.fromArray(S, sums, sOff);
        FloatVector s1 = FloatVector.fromArray(S, sums, sOff + l);
        FloatVector s2 = FloatVector.fromArray(S, sums, sOff + 2 * l);
        FloatVector s3 = FloatVector.fromArray(S, sums, sOff + 3 * l);
        for (int r = 0; r < rows; r++) {
            int row = aOff + r * lda;
            s0 = s0.add(FloatVector.fromArray(S, a, row));
            s1 = s1.add(FloatVector.fromArray(S, a, row + l));
            s2 = s2.add(FloatVector.fromArray(S, a, row + 2 * l));
            s3 = s3.add(FloatVector.fromArray(S, a, row + 3 * l));
        }
        s0.intoArray(sums, sOff);
        s1.intoArray(sums, sOff + l);
        s2.intoArray(sums, sOff + 2 * l);
        s3.intoArray(sums, sOff + 3 * l);
    }

    /**
     * See {@link Kernels#max}, for len of at least one vector; the last vector overlaps the one
     * before it, which max does not mind.
     */
    static float max(float[] x, int off, int len) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int end = off + len;
        for (int i = off; i < end; i += S.length()) {
            acc = acc.max(FloatVector.fromArray(S, x, Math.min(i, end - S.length())));
        }
        return acc.reduceLanes(VectorOperators.MAX);
    }

    /**
     * sigmoid(x) = 1 / (1 + e) for x &gt;= 0 and e / (1 + e) for x &lt; 0, with e = exp(-|x|) in
     * (0, 1], so nothing overflows and both branches keep full relative precision.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector negAbs = x.abs().neg();
        VectorMask<Float> underflow = negAbs.compare(VectorOperators.LT, EXP_MIN_NORMAL_ARG);
        FloatVector e = exp(negAbs.blend(EXP_MIN_NORMAL_ARG, underflow));
        FloatVector onePlus = e.add(1f);
        FloatVector pos = FloatVector.broadcast(S, 1f).div(onePlus);
        FloatVector neg = e.div(onePlus);
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        FloatVector y = pos.blend(neg, negative);
        return y.blend(0f, negative.and(underflow));
    }

    /**
     * tanh(x) = sign(x) * (1 - 2e / (1 + e)), e = exp(-2|x|), for |x| &gt;= 0.625; below that the
     * Cephes odd polynomial {@code x + x^3 P(x^2)}. The sign bit of x is copied onto the result.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector twoAx = ax.mul(2f);
        FloatVector clamped = twoAx.blend(TANH_CLAMP, twoAx.compare(VectorOperators.GT, TANH_CLAMP));
        FloatVector e = exp(clamped.neg());
        FloatVector large = FloatVector.broadcast(S, 1f).sub(e.add(e).div(e.add(1f)));
        FloatVector z = ax.mul(ax);
        FloatVector poly = horner(z.mul(-5.70498872745e-3f).add(2.06390887954e-2f), z, -5.37397155531e-2f);
        poly = horner(poly, z, 1.33314422036e-1f);
        poly = horner(poly, z, -3.33332819422e-1f);
        FloatVector small = poly.mul(z).fma(ax, ax);
        FloatVector y = large.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL));
        y = y.blend(0f, ax.compare(VectorOperators.LT, Float.MIN_NORMAL));
        // NaN: ax is NaN, every compare is false, so y is NaN from the large branch already.
        IntVector sign = x.reinterpretAsInts().and(0x80000000);
        return sign.or(y.reinterpretAsInts()).reinterpretAsFloats();
    }

    /** One fused Horner step, {@code p * x + c}. */
    private static FloatVector horner(FloatVector p, FloatVector x, float c) {
        return p.fma(x, FloatVector.broadcast(S, c));
    }

    private static FloatVector horner(FloatVector p, FloatVector x, FloatVector c) {
        return p.fma(x, c);
    }

    /** exp(x) for x up to 88, with every result below Float.MIN_NORMAL (x < -87.33) flushed to 0. */
    private static FloatVector expNormal(FloatVector x) {
        VectorMask<Float> tiny = x.lt(-87.33f);
        return exp(x.max(-87.33f)).blend(0f, tiny);
    }

    static FloatVector exp(FloatVector x) {
        FloatVector t = horner(x, FloatVector.broadcast(S, LOG2E), ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = horner(n, FloatVector.broadcast(S, -LN2_HI), x);
        r = horner(n, FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = horner(r.mul(1.9875691500e-4f).add(1.3981999507e-3f), r, 8.3334519073e-3f);
        p = horner(p, r, 4.1665795894e-2f);
        p = horner(p, r, 1.6666665459e-1f);
        p = horner(p, r, 5.0000001201e-1f);
        FloatVector er = p.mul(r).fma(r, r).add(1f);
        IntVector bits = t.reinterpretAsInts().add(127 - ROUND_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
        return er.mul(bits.reinterpretAsFloats());
    }

    // One lane of each function above, for the tails: keep every operation in step with the vector form.

    static float sigmoidLane(float x) {
        float negAbs = -Math.abs(x);
        boolean underflow = negAbs < EXP_MIN_NORMAL_ARG;
        float e = expLane(underflow ? EXP_MIN_NORMAL_ARG : negAbs);
        float onePlus = e + 1f;
        float pos = 1f / onePlus;
        float neg = e / onePlus;
        boolean negative = x < 0f;
        return negative && underflow ? 0f : negative ? neg : pos;
    }

    static float tanhLane(float x) {
        float ax = Math.abs(x);
        float twoAx = ax * 2f;
        float clamped = twoAx > TANH_CLAMP ? TANH_CLAMP : twoAx;
        float e = expLane(-clamped);
        float large = 1f - (e + e) / (e + 1f);
        float z = ax * ax;
        float poly = Math.fma(z * -5.70498872745e-3f + 2.06390887954e-2f, z, -5.37397155531e-2f);
        poly = Math.fma(poly, z, 1.33314422036e-1f);
        poly = Math.fma(poly, z, -3.33332819422e-1f);
        float small = Math.fma(poly * z, ax, ax);
        float y = ax < TANH_SMALL ? small : large;
        y = ax < Float.MIN_NORMAL ? 0f : y;
        return Float.intBitsToFloat((Float.floatToRawIntBits(x) & 0x80000000) | Float.floatToRawIntBits(y));
    }

    static float expNormalLane(float x) {
        return x < -87.33f ? 0f : expLane(Math.max(x, -87.33f));
    }

    static float expLane(float x) {
        float t = Math.fma(x, LOG2E, ROUND_MAGIC);
        float n = t - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r * 1.9875691500e-4f + 1.3981999507e-3f, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float er = Math.fma(p * r, r, r) + 1f;
        int bits = (Float.floatToRawIntBits(t) + (127 - ROUND_MAGIC_BITS)) << 23;
        return er * Float.intBitsToFloat(bits);
    }
}
