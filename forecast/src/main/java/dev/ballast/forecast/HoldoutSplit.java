package dev.ballast.forecast;

import dev.ballast.engine.InputException;

/**
 * Where a series is cut: {@code [0, trainEnd)} trains the network (and fits the scalers),
 * {@code [trainEnd, validEnd)} chooses the step to keep (early stopping) and calibrates the intervals,
 * {@code [validEnd, length)} is the hold-out of H points the forecast is judged on.
 */
public record HoldoutSplit(int length, int trainEnd, int validEnd) {

    public HoldoutSplit {
        if (!(0 < trainEnd && trainEnd <= validEnd && validEnd <= length)) {
            throw new IllegalArgumentException("bad split 0 < " + trainEnd + " <= " + validEnd + " <= " + length);
        }
    }

    /**
     * Holds out the last {@code horizon} points and {@code validation} points before them (null chooses
     * min(H, n/5)); checks that the training part still fits {@code minTrain} points.
     */
    public static HoldoutSplit of(int length, int horizon, Integer validation, int minTrain) {
        int v = validation != null ? validation : Math.max(1, Math.min(horizon, length / 5));
        int trainEnd = length - horizon - v;
        if (trainEnd < minTrain) {
            throw InputException.naming("the series has " + length + " points: holding out {horizon} " + horizon
                    + " and " + v + " validation points leaves " + Math.max(0, trainEnd) + " to train on, but the"
                    + " windows need at least " + minTrain + " (lower {lookback} or {horizon})");
        }
        return new HoldoutSplit(length, trainEnd, length - horizon);
    }

    public int horizon() {
        return length - validEnd;
    }

    public int validation() {
        return validEnd - trainEnd;
    }

    /** Up to {@code max} origins spread evenly over the validation part, the first at {@code trainEnd}. */
    public int[] validationOrigins(int max) {
        int v = validation();
        int k = Math.max(1, Math.min(max, v));
        int[] o = new int[k];
        for (int i = 0; i < k; i++) {
            o[i] = trainEnd + (int) ((long) i * v / k);
        }
        return o;
    }
}
