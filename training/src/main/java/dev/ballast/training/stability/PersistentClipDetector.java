package dev.ballast.training.stability;

/**
 * Flags a gradient norm stuck far above the clip threshold: in more than half of the last {@code window}
 * steps the norm before clipping was over {@code factor} times the threshold. Then every step is cut short
 * by the clipper and the direction alone is followed with the full learning rate — the learning rate is too
 * high for this region of the loss surface (Pascanu et al. 2013 clip rare outliers; clipping nearly every
 * step at a fraction of the norm means the scale is wrong). Steps without a single threshold (value, agc
 * or no clipping) never count as far above.
 */
public final class PersistentClipDetector {

    private final double factor;
    private final boolean[] far; // ring buffer over the last window steps
    private int filled;
    private int next;
    private int count;

    /**
     * @param factor the {@code --clip-alarm-factor}, at least 1
     * @param window the {@code --clip-alarm-window}; 0 turns the rule off
     */
    public PersistentClipDetector(double factor, int window) {
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("--clip-alarm-factor must be a number of at least 1, got " + factor);
        }
        if (window < 0) {
            throw new IllegalArgumentException("--clip-alarm-window must be at least 0, got " + window);
        }
        this.factor = factor;
        this.far = new boolean[window];
    }

    /** Records one healthy step's gradient norm before clipping and the threshold in force (NaN: none). */
    public void accept(double normBefore, double threshold) {
        if (far.length == 0) {
            return;
        }
        boolean f = threshold > 0 && normBefore > factor * threshold; // false for a NaN threshold
        if (filled == far.length) {
            count -= far[next] ? 1 : 0;
        } else {
            filled++;
        }
        far[next] = f;
        count += f ? 1 : 0;
        next = (next + 1) % far.length;
    }

    /** Whether a full window has been seen and more than half of it was far above the threshold. */
    public boolean persistent() {
        return far.length > 0 && filled == far.length && 2 * count > far.length;
    }

    /** Forgets the window: after the learning rate changes (or a rollback) the old steps say nothing. */
    public void reset() {
        java.util.Arrays.fill(far, false);
        filled = 0;
        next = 0;
        count = 0;
    }

    /** {filled, next, count, far...} for the checkpoint. */
    public double[] state() {
        double[] s = new double[3 + far.length];
        s[0] = filled;
        s[1] = next;
        s[2] = count;
        for (int i = 0; i < far.length; i++) {
            s[3 + i] = far[i] ? 1 : 0;
        }
        return s;
    }

    public void restore(double[] s) {
        if (s.length != 3 + far.length) { // the window changed on resume: start the window afresh
            reset();
            return;
        }
        filled = (int) s[0];
        next = (int) s[1];
        count = (int) s[2];
        for (int i = 0; i < far.length; i++) {
            far[i] = s[3 + i] != 0;
        }
    }
}
