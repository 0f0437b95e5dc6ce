package dev.ballast.training.stability;

/**
 * Flags a loss far above its recent level: {@code loss > factor * min(ema, best)}, where {@code ema} is an
 * exponential moving average (decay {@value #DECAY}, about the last 20 accepted steps) of the losses of
 * healthy steps and {@code best} the lowest that average has been since warm-up. The second term catches
 * the slow divergence of a too-high learning rate, where the loss creeps up so the average follows it. No verdict during the first {@value #WARMUP} steps, while the loss is still falling from
 * ln(V). Only losses passed to {@link #accept} move the average, so a run of spikes cannot teach the
 * detector that spiking is normal.
 */
public final class LossSpikeDetector {

    static final double DECAY = 0.95;
    static final int WARMUP = 10;

    private final double factor;
    private double ema;
    private long count;
    private double best = Double.POSITIVE_INFINITY;

    /** @param factor the {@code --spike-factor}, &gt; 1 */
    public LossSpikeDetector(double factor) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("--spike-factor must be above 1, got " + factor);
        }
        this.factor = factor;
    }

    /** Whether {@code loss} is a spike (a non-finite loss always is, once warmed up or not). */
    public boolean isSpike(double loss) {
        if (!Double.isFinite(loss)) {
            return true;
        }
        return count >= WARMUP && loss > factor * Math.min(ema, best);
    }

    /** Adds a healthy step's loss to the moving average. */
    public void accept(double loss) {
        ema = count == 0 ? loss : DECAY * ema + (1 - DECAY) * loss;
        count++;
        if (count >= WARMUP) {
            best = Math.min(best, ema);
        }
    }

    /** The moving average (NaN before the first accepted loss). */
    public double average() {
        return count == 0 ? Double.NaN : ema;
    }

    /** {ema, count, best}: training depends on it, so it is checkpointed and snapshotted. */
    public double[] state() {
        return new double[] {ema, count, best};
    }

    public void restore(double[] s) {
        ema = s[0];
        count = (long) s[1];
        // "No best yet" is +infinity, which JSON has no number for: a checkpoint written before the warm-up
        // ended stores it as null and reads it back as NaN, and min(NaN, ema) would switch detection off.
        best = s.length > 2 && !Double.isNaN(s[2]) ? s[2] : Double.POSITIVE_INFINITY;
    }
}
