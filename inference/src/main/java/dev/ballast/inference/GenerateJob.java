package dev.ballast.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A generation request's job: {@code width} samples (one {@link GenerateStream} each, made on admission)
 * answered together through a {@link Handler}.
 */
final class GenerateJob extends BatchJob {

    /** What the request does with its streams' output; all calls on the scheduler thread, none may block. */
    interface Handler {
        /** Text (and tokens) a stream produced in the last step; only for streaming handlers. */
        default void piece(GenerateStream stream, String text, List<TokenLogProb> tokens) {
        }

        void completed(List<GenerateStream> streams);

        /** @param streams the streams, or an empty list when the job was never admitted */
        void aborted(Abort reason, Throwable error, List<GenerateStream> streams);
    }

    private final int width;
    private final IntFunction<GenerateStream> make;
    private final Handler handler;
    private List<GenerateStream> streams = List.of();

    GenerateJob(long timeoutNanos, int width, IntFunction<GenerateStream> make, Handler handler) {
        super(timeoutNanos);
        this.width = width;
        this.make = make;
        this.handler = handler;
    }

    @Override
    List<GenerateStream> streams() {
        if (streams.isEmpty()) {
            List<GenerateStream> s = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                s.add(make.apply(i));
            }
            streams = List.copyOf(s);
        }
        return streams;
    }

    @Override
    int width() {
        return width;
    }

    @Override
    void completed() {
        handler.completed(streams);
    }

    @Override
    void aborted(Abort reason, Throwable error) {
        handler.aborted(reason, error, streams);
    }
}
