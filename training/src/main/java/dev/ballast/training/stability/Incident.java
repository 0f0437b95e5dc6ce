package dev.ballast.training.stability;

/**
 * One thing that went wrong in a step and what the trainer did about it.
 *
 * @param step     the 1-based step that failed (the update it would have made)
 * @param kind     what was detected
 * @param value    the offending value (the loss, the gradient norm, ...), NaN/infinite when that was the problem
 * @param layer    the first layer found with a non-finite value, or "" when it is the model as a whole
 * @param position the data cursor of the batch (windows handed out since the start), also in the quarantine file
 * @param action   what the recovery did
 */
public record Incident(long step, Kind kind, double value, String layer, long position, Action action) {

    /** What the monitor caught. */
    public enum Kind {
        NONFINITE_LOSS("the loss became non-finite"),
        NONFINITE_STATE("the carried hidden state became non-finite"),
        NONFINITE_GRADIENT("the gradient became non-finite"),
        NONFINITE_WEIGHTS("the weights became non-finite after the update"),
        LOSS_SPIKE("the loss spiked above its moving average"),
        LOSS_REGRESSION("the loss climbed clearly above its best and stayed there"),
        VALIDATION_REGRESSION("the validation loss rose clearly above its best"),
        PERSISTENT_CLIPPING("the gradient norm stayed far above the clip threshold"),
        RECURRENCE_EXPANDING("the gradient exploded through a recurrent matrix that stretches the state");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** A plain-language description. */
        public String words() {
            return words;
        }

        public boolean nonFinite() {
            return this == NONFINITE_LOSS || this == NONFINITE_STATE || this == NONFINITE_GRADIENT
                    || this == NONFINITE_WEIGHTS;
        }

        /** A trend over many steps (a slow climb, persistent clipping), not one bad batch: nothing is quarantined. */
        public boolean trend() {
            return this == LOSS_REGRESSION || this == VALIDATION_REGRESSION || this == PERSISTENT_CLIPPING
                    || this == RECURRENCE_EXPANDING;
        }
    }

    /** What the recovery did. */
    public enum Action {
        /** The update was not applied; the carried state was restored; training went on with the next batch. */
        SKIPPED,
        /** Weights, optimizer, RNG, data cursor and state went back to the last good snapshot; LR lowered, clip tightened. */
        ROLLED_BACK,
        /** The update went through; the learning rate was halved from the next step on. */
        LR_LOWERED,
        /** The update went through; the expanding recurrent matrices were scaled down to spectral norm 1. */
        WEIGHTS_RESCALED,
        /** Recovery was off or its retries were used up: the run failed. */
        FAILED
    }
}
