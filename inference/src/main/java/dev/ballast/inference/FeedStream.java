package dev.ballast.inference;

/**
 * A session reading more text in a batch, on a copy of its state that {@link #commit()} writes back (the
 * session is reserved for the request meanwhile); the row after the last token becomes the session's
 * next-token distribution.
 */
final class FeedStream extends BatchStream {

    private final SessionStore.Session session;
    private final int[] ids;
    private final ServerMetrics metrics;
    private float[] last;

    FeedStream(SessionStore.Session session, int[] ids, ServerMetrics metrics) {
        // A copy: a feed that is cut short (timeout, shutdown) leaves the session as it was.
        super(session.h.clone(), session.c == null ? null : session.c.clone());
        this.session = session;
        this.ids = ids;
        this.metrics = metrics;
    }

    @Override
    void begin() {
        if (ids.length == 0) {
            done = true;
        } else {
            feed(ids);
        }
    }

    @Override
    void fed(int from, int steps, float[] out, int batch, int b, int vocab) {
        metrics.inputTokens.add(steps);
        if (remaining() == 0) {
            last = new float[vocab];
            System.arraycopy(out, ((steps - 1) * batch + b) * vocab, last, 0, vocab);
            done = true;
        }
    }

    /** Called once the stream is done: the session has read the ids. */
    void commit() {
        if (last != null) {
            System.arraycopy(h, 0, session.h, 0, h.length);
            if (c != null) {
                System.arraycopy(c, 0, session.c, 0, c.length);
            }
            session.next = last;
            session.read(ids);
        }
    }
}
