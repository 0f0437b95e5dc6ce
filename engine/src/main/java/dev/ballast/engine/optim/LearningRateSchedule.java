package dev.ballast.engine.optim;

import java.util.Map;

/**
 * The learning rate for each update. {@code step} is the 0-based index of the update about to be made;
 * schedules that react to validation ({@link ReduceOnPlateauSchedule}) are told each validation loss
 * and keep their state in {@link #state()} so a resumed run continues with the same rate.
 *
 * <pre>{@code
 * LearningRateSchedule schedule = Schedules.parse("cosine:200", 3e-3f, totalSteps);
 * for (long step = 0; step < totalSteps; step++) {
 *     optimizer.step(params, schedule.rate(step));
 *     if (validateNow) schedule.onValidation(step, valLoss);
 * }
 * }</pre>
 */
public interface LearningRateSchedule {

    /** The rate for update number {@code step} (0-based). */
    float rate(long step);

    /** Called after each validation pass; ignored by schedules that depend on the step only. */
    default void onValidation(long step, double valLoss) {
    }

    /** Mutable state to checkpoint (empty when the rate is a pure function of the step). */
    Map<String, Double> state();

    /** Restores {@link #state()}; unknown or missing keys are errors naming the key. */
    void restore(Map<String, Double> state);

    /** One line for logs and provenance, e.g. {@code step(lr=0.1, every=1000, gamma=0.5)}. */
    String describe();
}
