package dev.ballast.inference;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A job of one stream (scoring a text, a session reading text) with what to do when it ends. */
final class SimpleJob<S extends BatchStream> extends BatchJob {

    /** How it ended early; see {@link BatchJob#aborted}. */
    interface Aborted {
        void aborted(Abort reason, Throwable error);
    }

    private final Supplier<S> make;
    private final Consumer<S> completed;
    private final Aborted aborted;
    private S stream;

    SimpleJob(long timeoutNanos, Supplier<S> make, Consumer<S> completed, Aborted aborted) {
        super(timeoutNanos);
        this.make = make;
        this.completed = completed;
        this.aborted = aborted;
    }

    @Override
    List<S> streams() {
        if (stream == null) {
            stream = make.get();
        }
        return List.of(stream);
    }

    @Override
    int width() {
        return 1;
    }

    @Override
    void completed() {
        completed.accept(stream);
    }

    @Override
    void aborted(Abort reason, Throwable error) {
        aborted.aborted(reason, error);
    }
}
