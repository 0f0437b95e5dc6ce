package dev.ballast.engine.optim;

import java.util.Map;

/**
 * Step decay ({@code --lr-schedule step:EVERY:GAMMA}, PyTorch's {@code StepLR}):
 * {@code rate(step) = lr * gamma^floor(step / every)}, computed in double.
 */
public final class StepDecaySchedule implements LearningRateSchedule {

    private final float lr;
    private final long every;
    private final double gamma;

    /**
     * @param every steps between decays, &gt; 0
     * @param gamma factor per decay, in (0, 1]
     */
    public StepDecaySchedule(float lr, long every, double gamma) {
        this.lr = ScheduleChecks.requireLearningRate(lr);
        if (every <= 0) {
            throw new IllegalArgumentException("EVERY must be a positive integer, got " + every);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("GAMMA must be in (0, 1], got " + gamma);
        }
        this.every = every;
        this.gamma = gamma;
    }

    @Override
    public float rate(long step) {
        return (float) (lr * Math.pow(gamma, Math.floorDiv(step, every)));
    }

    @Override
    public Map<String, Double> state() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, Double> state) {
        ScheduleChecks.requireKeys("step", state);
    }

    @Override
    public String describe() {
        return "step(lr=" + lr + ", every=" + every + ", gamma=" + gamma + ")";
    }
}
