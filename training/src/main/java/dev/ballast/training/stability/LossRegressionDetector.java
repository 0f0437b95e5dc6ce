package dev.ballast.training.stability;

/**
 * Flags a slow climb: the loss drifting up too slowly for the {@link LossSpikeDetector}, as a too-high
 * learning rate does when it shakes a model out of the good region a little more each step. It keeps an
 * exponential moving average (decay {@value #DECAY}, about the last 20 healthy steps) of the training loss
 * and the lowest that average has been, counted from the FIRST step: a run that blows up within its first
 * few steps (before any spike detector has warmed up) has its best at the start, where ln(V) is. The loss
 * has regressed when the average stays above {@code best * (1 + tolerance)} for {@code patience}
 * consecutive steps. The noise of a healthy run's 20-step average is about 1-2% of the loss (char-level
 * batches of 16-32 streams), so a tolerance of 10% held for 10 steps is a clear regression, not noise.
 */
public final class LossRegressionDetector {

    static final double DECAY = 0.95;

    private final double tolerance;
    private final int patience;
    private double ema;
    private long count;
    private double best = Double.POSITIVE_INFINITY;
    private int above; // consecutive steps with the average above the band

    /**
     * @param tolerance the {@code --regress-tolerance}: how far above its best the average may go, relative (&gt; 0)
     * @param patience  the {@code --regress-patience}: for how many consecutive steps; 0 turns the rule off
     */
    public LossRegressionDetector(double tolerance, int patience) {
        if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("--regress-tolerance must be a positive number, got " + tolerance);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--regress-patience must be at least 0, got " + patience);
        }
        this.tolerance = tolerance;
        this.patience = patience;
    }

    /** Adds a healthy step's loss. */
    public void accept(double loss) {
        ema = count == 0 ? loss : DECAY * ema + (1 - DECAY) * loss;
        count++;
        best = Math.min(best, ema);
        above = ema > best * (1 + tolerance) ? above + 1 : 0;
    }

    /** Whether the average has been above its best by more than the tolerance for {@code patience} steps. */
    public boolean regressed() {
        return patience > 0 && above >= patience;
    }

    /**
     * After a recovery: the run goes on from the state it was rolled back to, so that state's average is the
     * new baseline (the best becomes at least the current average) and the patience starts again. Without it,
     * a rollback target that was itself above the old best would be flagged again {@code patience} steps on,
     * however well the run then does.
     */
    public void rebase() {
        if (count > 0) {
            best = Math.max(best, ema);
        }
        above = 0;
    }

    /** The moving average (NaN before the first loss). */
    public double average() {
        return count == 0 ? Double.NaN : ema;
    }

    /** The lowest the moving average has been (infinite before the first loss). */
    public double best() {
        return best;
    }

    /** {ema, count, best, above}: it changes training, so it is snapshotted and checkpointed. */
    public double[] state() {
        return new double[] {ema, count, best, above};
    }

    public void restore(double[] s) {
        ema = s[0];
        count = (long) s[1];
        best = Double.isNaN(s[2]) ? Double.POSITIVE_INFINITY : s[2]; // written as null before any loss
        above = (int) s[3];
    }
}
