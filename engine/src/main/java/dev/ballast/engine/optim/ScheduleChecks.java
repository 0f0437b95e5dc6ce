package dev.ballast.engine.optim;

import dev.ballast.engine.InputException;

import java.util.Map;
import java.util.Set;

/** Validation shared by the schedules, so each rule and its message is written once. */
final class ScheduleChecks {

    private ScheduleChecks() {
    }

    static float requireLearningRate(float lr) {
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw InputException.field("lr", "must be > 0, got " + lr);
        }
        return lr;
    }

    /** The state must hold exactly {@code keys}, each a number. */
    static void requireKeys(String schedule, Map<String, Double> state, String... keys) {
        Set<String> expected = Set.of(keys);
        for (String key : state.keySet()) {
            if (!expected.contains(key)) {
                throw new IllegalArgumentException(schedule + " schedule state has unknown key '" + key + "'");
            }
        }
        for (String key : keys) {
            if (state.get(key) == null) {
                throw new IllegalArgumentException(schedule + " schedule state is missing '" + key + "'");
            }
        }
    }
}
