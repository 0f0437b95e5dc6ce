package dev.ballast.engine.optim;

import java.util.Map;

/**
 * Linear warm-up then cosine decay ({@code --lr-schedule cosine[:WARMUP]}; SGDR without restarts,
 * Loshchilov &amp; Hutter 2017; warm-up as in Goyal et al. 2017):
 * <pre>
 *   step &lt; warmup:          lr * (step + 1) / warmup            (lr/warmup, ..., lr)
 *   warmup &le; step &lt; total:  minLr + (lr - minLr) * (1 + cos(pi * (step - warmup) / (total - warmup))) / 2
 *   step &ge; total:           minLr
 * </pre>
 */
public final class CosineSchedule implements LearningRateSchedule {

    private final float lr;
    private final long warmupSteps;
    private final long totalSteps;
    private final float minLr;

    /**
     * @param warmupSteps steps of linear warm-up, in [0, totalSteps]
     * @param totalSteps  step at which the rate reaches {@code minLr}, &gt; 0
     * @param minLr       final rate, in [0, lr]
     */
    public CosineSchedule(float lr, long warmupSteps, long totalSteps, float minLr) {
        this.lr = ScheduleChecks.requireLearningRate(lr);
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("cosine schedule needs a positive total number of steps, got "
                    + totalSteps);
        }
        if (warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("WARMUP must be an integer in [0, " + totalSteps + "] (the total "
                    + "steps), got " + warmupSteps);
        }
        if (!(minLr >= 0 && minLr <= lr)) {
            throw new IllegalArgumentException("minimum learning rate must be in [0, " + lr + "], got " + minLr);
        }
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.minLr = minLr;
    }

    @Override
    public float rate(long step) {
        if (step < warmupSteps) {
            return (float) ((double) lr * (step + 1) / warmupSteps);
        }
        if (step >= totalSteps) {
            return minLr;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (minLr + (lr - (double) minLr) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    @Override
    public Map<String, Double> state() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, Double> state) {
        ScheduleChecks.requireKeys("cosine", state);
    }

    @Override
    public String describe() {
        return "cosine(lr=" + lr + ", warmup=" + warmupSteps + ", total=" + totalSteps + ", minLr=" + minLr + ")";
    }
}
