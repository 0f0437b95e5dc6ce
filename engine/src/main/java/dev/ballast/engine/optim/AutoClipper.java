package dev.ballast.engine.optim;

import dev.ballast.engine.InputException;

import dev.ballast.engine.nn.Parameter;

import java.util.Arrays;
import java.util.List;

/**
 * Adaptive global-norm clipping (AutoClip: Seetharaman, Wichern, Pardo, Le Roux 2020, "AutoClip:
 * Adaptive Gradient Clipping for Source Separation Networks"). Each step's global gradient norm is
 * appended to a history of the most recent {@code window} norms and the threshold is the
 * {@code percentile}-th percentile of that history (linear interpolation, as {@code numpy.percentile}
 * computes it, which the paper's code uses); the gradients are then clipped to it like
 * {@link GlobalNormClipper}. The threshold follows the run instead of being guessed up front.
 *
 * <p>The history changes training, so it is part of a checkpoint: {@link #history()} / {@link #restore}.
 */
public final class AutoClipper extends AbstractGradientClipper {

    /** Norms remembered; the paper keeps all of them, a window keeps memory and cost bounded. */
    public static final int DEFAULT_WINDOW = 1000;

    private final double percentile;
    private final double[] ring;
    private int size;
    private int next;
    private double lastThreshold = Double.NaN;

    /**
     * @param percentile the {@code --clip-percentile}, in (0, 100]; the paper recommends 10
     * @param window     how many recent norms the percentile is taken over, at least 1
     */
    public AutoClipper(double percentile, int window) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw InputException.field("clip_percentile", "must be in (0, 100], got " + percentile);
        }
        if (window < 1) {
            throw new IllegalArgumentException("the AutoClip window must be at least 1, got " + window);
        }
        this.percentile = percentile;
        this.ring = new double[window];
    }

    @Override
    protected boolean apply(List<Parameter> params, double globalNorm) {
        ring[next] = globalNorm;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        lastThreshold = percentile(orderedHistory(), percentile);
        if (globalNorm <= lastThreshold) {
            return false;
        }
        double coef = lastThreshold / (globalNorm + GlobalNormClipper.NORM_EPS);
        if (coef >= 1) {
            return false;
        }
        for (Parameter p : params) {
            scale(p.grad(), (float) coef);
        }
        return true;
    }

    /** The threshold used by the last {@link #clip} call (NaN before the first). */
    public double lastThreshold() {
        return lastThreshold;
    }

    /** The remembered norms, oldest first (a copy). */
    public double[] history() {
        return orderedHistory();
    }

    /** Replaces the history with one taken by {@link #history()}; only the newest {@code window} are kept. */
    public void restore(double[] history) {
        int from = Math.max(0, history.length - ring.length);
        size = history.length - from;
        System.arraycopy(history, from, ring, 0, size);
        next = size % ring.length;
    }

    private double[] orderedHistory() {
        double[] out = new double[size];
        int start = size < ring.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return out;
    }

    /** numpy.percentile's default ("linear"): rank p/100 * (n-1), interpolated between neighbours. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public String describe() {
        return "auto(percentile=" + percentile + ", window=" + ring.length + ")";
    }
}
