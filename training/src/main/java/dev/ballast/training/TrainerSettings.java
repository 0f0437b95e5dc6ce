package dev.ballast.training;

import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.optim.ClipMode;
import dev.ballast.engine.optim.Clippers;
import dev.ballast.engine.optim.GradientClipper;
import dev.ballast.engine.optim.OptimizerKind;
import dev.ballast.engine.optim.OptimizerSettings;
import dev.ballast.engine.optim.Regularizer;
import dev.ballast.training.stability.StabilityGuard;

/**
 * How the {@link Trainer} trains, whatever the model: length, optimizer and schedule, clipping,
 * regularization, the stability rules, and the validation cadence. Each model kind's configuration
 * (the language model's {@code TrainingConfig}, the forecaster's {@code ForecastConfig}) maps its fields
 * onto this record, so the loop reads the same settings under the same names for every kind.
 *
 * @param steps          total optimizer steps of the run
 * @param optimizer      which optimizer (sgd, adam, adamw, rmsprop, adagrad)
 * @param lrSchedule     schedule spec (constant, step:EVERY:GAMMA, plateau, cosine[:WARMUP])
 * @param clip           how gradients are clipped (global-norm, layer-norm, tensor-norm, value, auto, agc, none)
 * @param maxNorm        per-unit bound on incoming recurrent weights; 0 = off
 * @param recovery       whether incidents are recovered from (skip, roll back) rather than fatal
 * @param diagnoseEvery  steps between spectral norm / reach-back diagnoses; 0 = off
 * @param evalEvery      steps between validations (and checkpoints); 0 = only at the end
 */
public record TrainerSettings(long steps, long seed, OptimizerKind optimizer, float lr, OptimizerSettings optimizerSettings,
                              String lrSchedule, ClipMode clip, double clipNorm, double clipValue,
                              double clipPercentile, double clipRatio, Regularizer regularizer, double maxNorm,
                              boolean recovery, StabilityGuard.Rules rules, int diagnoseEvery, int evalEvery) {

    /** The configured clipper with every threshold scaled by {@code scale} (the recovery's), on {@code kernels}. */
    public GradientClipper clipper(double scale, Kernels kernels) {
        GradientClipper c = Clippers.create(clip, clipNorm * scale, clipValue * scale, clipPercentile, clipRatio * scale);
        c.setKernels(kernels);
        return c;
    }

    /** Whether the clipping mode adapts its own threshold (AutoClip), so a recovery scale does not apply. */
    public boolean adaptiveClip() {
        return clip == ClipMode.AUTO;
    }
}
