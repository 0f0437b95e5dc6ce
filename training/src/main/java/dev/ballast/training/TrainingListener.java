package dev.ballast.training;

import java.nio.file.Path;

/**
 * Hooks through which the training loop reports what it does; progress bars, logs and monitors
 * plug in here. Every method has an empty default. Called on the training thread.
 */
public interface TrainingListener {

    /** Once, before the first step of this process (also after a resume). */
    default void onStart(RunSummary summary) {
    }

    /** After every optimizer step. */
    default void onStep(StepReport report) {
    }

    /** After each validation pass; {@code best} when it is the lowest validation loss so far. */
    default void onEvaluation(long step, Validation validation, boolean best) {
    }

    /** A sample of the model's output (generated text) taken at an evaluation. */
    default void onSample(long step, String text) {
    }

    /** The stability guard caught a bad step ({@code step} is the step it would have been) and says what it did. */
    default void onIncident(long step, String message) {
    }

    /** After a checkpoint was committed. */
    default void onCheckpoint(long step, Path directory) {
    }

    /** What the run is about to do. */
    record RunSummary(long startStep, long totalSteps, long parameters, int vocabulary, long trainTokens,
                      long validTokens, long validUnknown, String kernels, Path runDir, boolean resumed) {
    }

    /**
     * One optimizer step.
     *
     * @param gradNorm        global L2 norm of the gradient before clipping
     * @param tokensPerSecond training throughput since this process started (evaluation excluded)
     */
    record StepReport(long step, long totalSteps, double loss, double gradNorm, boolean clipped, double lr,
                      double tokensPerSecond, int epoch) {
    }
}
