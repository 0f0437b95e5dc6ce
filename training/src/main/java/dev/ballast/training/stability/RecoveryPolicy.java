package dev.ballast.training.stability;

import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what to do about an {@link Incident.Kind} and remembers what was learned. The rules:
 * <ul>
 *   <li>weights that became non-finite are beyond saving: roll back;</li>
 *   <li>otherwise skip the update (the weights are still good, only this batch's step is bad), unless
 *       this is the {@value #SKIPS_BEFORE_ROLLBACK}rd incident in a row: then the damage is in the weights
 *       already, so roll back;</li>
 *   <li>each rollback halves the learning rate and the clip threshold ({@link #lrScale()},
 *       {@link #clipScale()}), and the offending batch is quarantined so the replay skips it;</li>
 *   <li>after {@code maxRetries} rollbacks the run fails.</li>
 * </ul>
 * Its state changes training, so it is checkpointed ({@link #state()} / {@link #restore}).
 */
public final class RecoveryPolicy {

    static final int SKIPS_BEFORE_ROLLBACK = 3;
    /** Each rollback multiplies the learning rate and the clip threshold by this. */
    public static final double BACKOFF = 0.5;

    private final int maxRetries;
    private double lrScale = 1;
    private double clipScale = 1;
    private int consecutive;
    private int rollbacks;
    private int skips;
    private int lrCuts;
    private int rescales;
    private final Set<Long> quarantined = new TreeSet<>();

    /** @param maxRetries the {@code --max-retries}: rollbacks allowed before the run fails */
    public RecoveryPolicy(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("--max-retries must be at least 0, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
    }

    /** What to do about an incident on the batch at {@code position}; records it. */
    public Incident.Action decide(Incident.Kind kind, long position) {
        quarantined.add(position);
        consecutive++;
        if (kind != Incident.Kind.NONFINITE_WEIGHTS && consecutive < SKIPS_BEFORE_ROLLBACK) {
            skips++;
            return Incident.Action.SKIPPED;
        }
        if (rollbacks >= maxRetries) {
            return Incident.Action.FAILED;
        }
        rollbacks++;
        consecutive = 0;
        lrScale *= BACKOFF;
        clipScale *= BACKOFF;
        return Incident.Action.ROLLED_BACK;
    }

    /**
     * What to do about a trend: a loss regression rolls back (to the best snapshot, the guard's choice) and
     * halves the learning rate; persistent clipping and a validation regression only halve it. The clip is
     * left alone (it did its job) and nothing is quarantined: no single batch caused a trend. The caller
     * asks only while {@link #exhausted()} / {@link #canLowerLr()} allow it.
     */
    public Incident.Action decideTrend(Incident.Kind kind) {
        if (!kind.trend()) {
            throw new IllegalArgumentException(kind + " is not a trend");
        }
        if (kind == Incident.Kind.RECURRENCE_EXPANDING) {
            if (!canRescale()) {
                throw new IllegalStateException("no rescales left for " + kind);
            }
            rescales++;
            return Incident.Action.WEIGHTS_RESCALED;
        }
        if (kind == Incident.Kind.LOSS_REGRESSION) {
            if (exhausted()) {
                throw new IllegalStateException("no rollbacks left for " + kind);
            }
            rollbacks++;
            consecutive = 0;
            lrScale *= BACKOFF;
            return Incident.Action.ROLLED_BACK;
        }
        if (!canLowerLr()) {
            throw new IllegalStateException("no learning-rate cuts left for " + kind);
        }
        lrCuts++;
        lrScale *= BACKOFF;
        return Incident.Action.LR_LOWERED;
    }

    /** Whether a trend may still halve the learning rate without a rollback (at most {@code maxRetries} times). */
    public boolean canLowerLr() {
        return lrCuts < maxRetries;
    }

    /** Whether the recurrent matrices may still be rescaled (at most {@code maxRetries} times). */
    public boolean canRescale() {
        return rescales < maxRetries;
    }

    public int rescales() {
        return rescales;
    }

    public void restoreRescales(int n) {
        rescales = n;
    }

    /** Learning-rate cuts made without a rollback. */
    public int lrCuts() {
        return lrCuts;
    }

    /** Restores {@link #lrCuts()} (kept apart from {@link #state()}, whose layout older checkpoints fix). */
    public void restoreLrCuts(int n) {
        lrCuts = n;
    }

    /** Whether every allowed rollback has been used. */
    public boolean exhausted() {
        return rollbacks >= maxRetries;
    }

    /** A step went through cleanly. */
    public void healthy() {
        consecutive = 0;
    }

    /** Whether the batch at this data position caused an incident (a replay after a rollback skips it). */
    public boolean isQuarantined(long position) {
        return quarantined.contains(position);
    }

    /** Multiplier on the schedule's learning rate, 1 until the first rollback. */
    public double lrScale() {
        return lrScale;
    }

    /** Multiplier on the clip thresholds, 1 until the first rollback. */
    public double clipScale() {
        return clipScale;
    }

    public int rollbacks() {
        return rollbacks;
    }

    public int skips() {
        return skips;
    }

    public int consecutive() {
        return consecutive;
    }

    public Set<Long> quarantined() {
        return java.util.Collections.unmodifiableSet(quarantined);
    }

    /** {lrScale, clipScale, consecutive, rollbacks, skips, quarantined positions...}. */
    public double[] state() {
        double[] s = new double[5 + quarantined.size()];
        s[0] = lrScale;
        s[1] = clipScale;
        s[2] = consecutive;
        s[3] = rollbacks;
        s[4] = skips;
        int i = 5;
        for (long p : quarantined) {
            s[i++] = p;
        }
        return s;
    }

    public void restore(double[] s) {
        lrScale = s[0];
        clipScale = s[1];
        consecutive = (int) s[2];
        rollbacks = (int) s[3];
        skips = (int) s[4];
        quarantined.clear();
        for (int i = 5; i < s.length; i++) {
            quarantined.add((long) s[i]);
        }
    }
}
