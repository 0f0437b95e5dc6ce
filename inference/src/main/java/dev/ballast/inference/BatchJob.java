package dev.ballast.inference;

import java.util.List;

/**
 * A request's work for the {@link BatchScheduler}: one or more streams (a request with {@code n} samples has
 * n) admitted together, and what to do when all of them are done or when the job ends early. Exactly one of
 * {@link #completed()} and {@link #aborted} is called, on the scheduler thread (or on the submitting thread
 * when the job never ran); both must not block.
 */
abstract class BatchJob {

    /** Why a job ended before its streams did. */
    enum Abort {
        /** the request timeout passed (waiting included) */
        TIMEOUT,
        /** the server stopped before the job finished */
        SHUTDOWN,
        /** the client went away, or the request cancelled itself */
        CANCELLED,
        /** a stream failed; see the exception */
        ERROR
    }

    private final long deadlineNanos;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    final long submittedNanos = System.nanoTime();

    /** @param timeoutNanos time from submission to completion, at most */
    BatchJob(long timeoutNanos) {
        this.deadlineNanos = submittedNanos + timeoutNanos;
    }

    /** The streams, made when the job is admitted (so a queued job holds no state). */
    abstract List<? extends BatchStream> streams();

    /** How many streams the job will run: its share of --max-streams. */
    abstract int width();

    abstract void completed();

    abstract void aborted(Abort reason, Throwable error);

    /** Asks the scheduler to drop the job at its next step (e.g. the client is gone). */
    void cancel() {
        cancelled = true;
    }

    /** A stream of this job failed: the scheduler ends it with {@link Abort#ERROR}. */
    void cancelFailed(Throwable error) {
        if (failure == null) {
            failure = error;
        }
        cancelled = true;
    }

    Throwable failure() {
        return failure;
    }

    boolean cancelled() {
        return cancelled;
    }

    boolean expired(long now) {
        return now - deadlineNanos > 0;
    }
}
