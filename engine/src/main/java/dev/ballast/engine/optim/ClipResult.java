package dev.ballast.engine.optim;

/**
 * What a {@link GradientClipper} did: the global L2 norm of all gradients (computed in double) before and
 * after clipping, and whether any gradient was changed. A non-finite {@code normBefore} means the
 * gradients were left untouched for the caller's recovery logic.
 */
public record ClipResult(double normBefore, double normAfter, boolean clipped) {
}
