package dev.ballast.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reduce-on-plateau ({@code --lr-schedule plateau[:FACTOR[:PATIENCE]]}), after PyTorch's
 * {@code ReduceLROnPlateau} in "min"/"rel" mode: a validation loss improves when it is below
 * {@code best * (1 - threshold)}; after {@code patience} consecutive validations without improvement the
 * rate is multiplied by {@code factor} (never below {@code minLr}) and the count starts again.
 *
 * <p>Difference from PyTorch: PyTorch reduces after {@code patience + 1} bad epochs; here {@code patience}
 * is the number of bad validations that triggers the reduction (so it must be &ge; 1). A NaN loss counts
 * as no improvement.
 *
 * <p>State: {@code lr} (current rate), {@code best} (best loss, +Infinity before the first validation),
 * {@code bad} (consecutive validations without improvement).
 */
public final class ReduceOnPlateauSchedule implements LearningRateSchedule {

    /** PyTorch's default relative improvement threshold. */
    public static final double DEFAULT_THRESHOLD = 1e-4;

    private final float initialLr;
    private final double factor;
    private final int patience;
    private final float minLr;
    private final double threshold;

    private float lr;
    private double best = Double.POSITIVE_INFINITY;
    private int bad;

    /**
     * @param factor    multiplier on a plateau, in (0, 1)
     * @param patience  validations without improvement before reducing, &ge; 1
     * @param minLr     floor of the rate, in [0, lr]
     * @param threshold relative improvement that counts, in [0, 1)
     */
    public ReduceOnPlateauSchedule(float lr, double factor, int patience, float minLr, double threshold) {
        this.initialLr = ScheduleChecks.requireLearningRate(lr);
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("FACTOR must be in (0, 1), got " + factor);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("PATIENCE must be a positive integer, got " + patience);
        }
        if (!(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("minimum learning rate must be in [0, " + lr + "], got " + minLr);
        }
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("plateau threshold must be in [0, 1), got " + threshold);
        }
        this.factor = factor;
        this.patience = patience;
        this.minLr = minLr;
        this.threshold = threshold;
        this.lr = lr;
    }

    @Override
    public float rate(long step) {
        return lr;
    }

    @Override
    public void onValidation(long step, double valLoss) {
        if (valLoss < best * (1 - threshold)) {
            best = valLoss;
            bad = 0;
            return;
        }
        bad++;
        if (bad >= patience) {
            lr = Math.max((float) (lr * factor), minLr);
            bad = 0;
        }
    }

    @Override
    public Map<String, Double> state() {
        Map<String, Double> state = new LinkedHashMap<>();
        state.put("lr", (double) lr);
        state.put("best", best);
        state.put("bad", (double) bad);
        return state;
    }

    @Override
    public void restore(Map<String, Double> state) {
        ScheduleChecks.requireKeys("plateau", state, "lr", "best", "bad");
        double restoredLr = state.get("lr");
        double restoredBad = state.get("bad");
        if (!(restoredLr >= minLr && restoredLr <= initialLr)) {
            throw new IllegalArgumentException("plateau schedule state 'lr' must be in [" + minLr + ", "
                    + initialLr + "], got " + restoredLr);
        }
        if (!(restoredBad >= 0 && restoredBad < patience && restoredBad == Math.rint(restoredBad))) {
            throw new IllegalArgumentException("plateau schedule state 'bad' must be an integer in [0, "
                    + patience + "), got " + restoredBad);
        }
        if (Double.isNaN(state.get("best"))) {
            throw new IllegalArgumentException("plateau schedule state 'best' is NaN");
        }
        lr = (float) restoredLr;
        best = state.get("best");
        bad = (int) restoredBad;
    }

    @Override
    public String describe() {
        return "plateau(lr=" + initialLr + ", factor=" + factor + ", patience=" + patience + ", minLr=" + minLr
                + ", threshold=" + threshold + ")";
    }
}
