package dev.ballast.engine.optim;

import java.util.Map;

/** The same rate for every step ({@code --lr-schedule constant}). */
public final class ConstantSchedule implements LearningRateSchedule {

    private final float lr;

    public ConstantSchedule(float lr) {
        this.lr = ScheduleChecks.requireLearningRate(lr);
    }

    @Override
    public float rate(long step) {
        return lr;
    }

    @Override
    public Map<String, Double> state() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, Double> state) {
        ScheduleChecks.requireKeys("constant", state);
    }

    @Override
    public String describe() {
        return "constant(lr=" + lr + ")";
    }
}
