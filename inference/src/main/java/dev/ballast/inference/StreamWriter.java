package dev.ballast.inference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes a streamed answer (NDJSON lines or server-sent events) without ever blocking the caller: pieces
 * are queued and written one Jetty write at a time (what is queued meanwhile goes out in the next write),
 * so the batch scheduler can hand out every stream's tokens and move on. A client that stops reading holds
 * only its queued bytes; when a write fails (the client went away, or the idle timeout passed) the writer
 * runs {@code onFailure} once, so the generation behind it can be cancelled.
 */
final class StreamWriter {

    private final Response response;
    private final Callback callback;
    private final Runnable onFailure;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private boolean writing;
    private boolean closing;
    private boolean finished;

    StreamWriter(Response response, Callback callback, Runnable onFailure) {
        this.response = response;
        this.callback = callback;
        this.onFailure = onFailure;
    }

    void write(String text) {
        synchronized (this) {
            if (closing || finished) {
                return;
            }
            queued.add(text.getBytes(StandardCharsets.UTF_8));
            if (writing) {
                return;
            }
            writing = true;
        }
        next();
    }

    /** Writes {@code last} (may be empty) and ends the answer. */
    void close(String last) {
        synchronized (this) {
            if (closing || finished) {
                return;
            }
            if (!last.isEmpty()) {
                queued.add(last.getBytes(StandardCharsets.UTF_8));
            }
            closing = true;
            if (writing) {
                return;
            }
            writing = true;
        }
        next();
    }

    /** Starts the next write; called with {@code writing} set and the lock not held. */
    private void next() {
        ByteBuffer buffer;
        boolean last;
        synchronized (this) {
            if (finished) {
                return;
            }
            if (queued.isEmpty() && !closing) {
                writing = false;
                return;
            }
            int size = 0;
            for (byte[] b : queued) {
                size += b.length;
            }
            buffer = ByteBuffer.allocate(size);
            for (byte[] b : queued) {
                buffer.put(b);
            }
            buffer.flip();
            queued.clear();
            last = closing;
            if (last) {
                finished = true;
            }
        }
        if (last) {
            response.write(true, buffer, Callback.from(callback::succeeded, this::failedLast));
        } else {
            response.write(false, buffer, Callback.from(this::next, this::failed));
        }
    }

    /** Whether any byte was handed to Jetty (the status and headers are then sent). */
    synchronized boolean started() {
        return writing || finished || response.isCommitted();
    }

    /** Ends the answer as failed (the connection is cut), unless it has ended already. */
    void abort(Throwable t) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            queued.clear();
        }
        callback.failed(t);
    }

    private void failed(Throwable t) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            queued.clear();
        }
        onFailure.run();
        callback.failed(t);
    }

    private void failedLast(Throwable t) {
        onFailure.run();
        callback.failed(t);
    }
}
