package dev.ballast.training;

/**
 * Training produced a non-finite loss or gradient. Nothing already saved is overwritten by the
 * diverged state; the message says which step, what went wrong and what to try.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;

    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
