package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central-difference gradient checks for float32 code.
 *
 * <p>Why these numbers: the forward passes run in float32, so a loss of size |L| carries a rounding
 * error of roughly 1e-7 |L| (the losses themselves are summed in double). A central difference
 * divides that by 2 eps and adds a truncation error of about eps^2 |f'''| / 6. With eps = 1e-2 the
 * rounding part is ~1e-5 and the truncation part ~1e-5 for the O(1) third derivatives of sigmoid,
 * tanh and softmax, so a correct gradient agrees to about 1e-4 absolute; we allow 5e-4 + 1e-2
 * relative. A wrong gradient (a missing term, a transposed index) is off by O(|g|), far outside.
 * The perturbation actually applied is {@code (float)(v + eps) - (float)(v - eps)}, not 2 eps.
 */
public final class GradCheck {

    public static final double EPS = 1e-2;
    public static final double ATOL = 5e-4;
    public static final double RTOL = 1e-2;
    /** Parameters up to this size are checked at every coordinate, bigger ones at a fixed random sample this big. */
    public static final int MAX_COORDS = 48;

    private GradCheck() {
    }

    /** Checks every (or a fixed sample of) coordinate(s) of {@code values} against {@code analytic}. */
    public static void check(String what, float[] values, float[] analytic, DoubleSupplier loss) {
        check(what, values, analytic, loss, null);
    }

    /**
     * As {@link #check(String, float[], float[], DoubleSupplier)}, skipping coordinates whose
     * perturbation changes {@code pattern} (e.g. which ReLUs are active: the difference would straddle
     * a kink). Such a coordinate is first retried at eps / 10 (ten times fewer crossings, ten times the
     * rounding error, so ten times ATOL); only if that crosses too is it skipped. At least three
     * quarters of the coordinates must be checked.
     */
    public static void check(String what, float[] values, float[] analytic, DoubleSupplier loss, Supplier<boolean[]> pattern) {
        int[] coords = coordinates(values.length, what.hashCode());
        boolean[] base = null;
        if (pattern != null) {
            loss.getAsDouble();
            base = pattern.get();
        }
        int checked = 0;
        double worst = 0;
        for (int i : coords) {
            // At a kink, retry closer: eps / 10 crosses ten times fewer; its rounding error is ten times larger.
            double[] numeric = difference(values, i, EPS, loss, pattern, base);
            double atol = ATOL;
            if (numeric == null) {
                numeric = difference(values, i, EPS / 10, loss, pattern, base);
                atol = ATOL * 10;
            }
            if (numeric == null) {
                continue;
            }
            checked++;
            double err = Math.abs(numeric[0] - analytic[i]);
            double allowed = atol + RTOL * Math.max(Math.abs(numeric[0]), Math.abs(analytic[i]));
            worst = Math.max(worst, err / allowed);
            if (err > allowed) {
                fail(what + "[" + i + "]: analytic " + analytic[i] + ", numeric " + numeric[0] + " (allowed error " + allowed + ")");
            }
        }
        assertTrue(checked * 4 >= coords.length * 3, what + ": only " + checked + " of " + coords.length + " coordinates were away from kinks");
        if (Boolean.getBoolean("gradcheck.verbose")) {
            System.out.printf("%s: %d coords, worst error / allowed = %.3f%n", what, checked, worst);
        }
    }

    /** The central difference at coordinate i, or null when the perturbation changes the pattern. */
    private static double[] difference(float[] values, int i, double eps, DoubleSupplier loss,
                                       Supplier<boolean[]> pattern, boolean[] base) {
        float v = values[i];
        float vp = (float) (v + eps);
        float vm = (float) (v - eps);
        values[i] = vp;
        double lp = loss.getAsDouble();
        boolean kink = pattern != null && !Arrays.equals(base, pattern.get());
        values[i] = vm;
        double lm = loss.getAsDouble();
        kink |= pattern != null && !Arrays.equals(base, pattern.get());
        values[i] = v;
        return kink ? null : new double[]{(lp - lm) / ((double) vp - (double) vm)};
    }

    /** All indices when small, else a fixed random sample (seeded by the name, so runs are repeatable). */
    public static int[] coordinates(int size, long seed) {
        if (size <= MAX_COORDS) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        Rng rng = new Rng(seed);
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < MAX_COORDS; i++) { // partial Fisher-Yates
            int j = i + rng.nextInt(size - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, MAX_COORDS);
    }

    public static float[] uniform(int n, float bound, Rng rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (2f * rng.nextFloat() - 1f) * bound;
        }
        return a;
    }

    /** sum_i a[off + i] * r[i] in double: the surrogate loss whose gradient w.r.t. a is r. */
    public static double dot(float[] a, int off, float[] r) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += (double) a[off + i] * r[i];
        }
        return s;
    }
}
