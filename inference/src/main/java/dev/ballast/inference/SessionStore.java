package dev.ballast.inference;

import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.ModelConfig;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's sessions: streams of text whose recurrent state is kept between requests. A session holds
 * its state (L x H floats, twice for an LSTM), the log-probabilities after the last token it read (V floats)
 * and its last few ids (so that generation spaces its first word right), whatever the length of the text
 * it has read: its memory is fixed and known up front ({@link #bytesPerSession}). At most {@code max}
 * sessions exist at once; one unused for {@code idleSeconds} is closed. Ids are 128 random bits.
 */
final class SessionStore {

    /** Ids of the text read last that a session keeps (for the stream decoder). */
    static final int CONTEXT = 16;

    /** One session. {@link #busy} is held by the one request that may use it at a time. */
    static final class Session {
        final String id;
        final float[] h;
        final float[] c;
        volatile float[] next;               // (V) log-probabilities after the last token read, null before any text
        volatile int[] context = new int[0]; // the last ids read, at most CONTEXT
        volatile long tokens;                // ids read in all
        final long created = System.currentTimeMillis();
        volatile long lastUsedNanos = System.nanoTime();
        final AtomicBoolean busy = new AtomicBoolean();
        volatile boolean closed;

        Session(String id, int stateSize, boolean lstm) {
            this.id = id;
            this.h = new float[stateSize];
            this.c = lstm ? new float[stateSize] : null;
        }

        /** Records ids just read: keeps the last {@link #CONTEXT} of them. */
        void read(int[] ids) {
            tokens += ids.length;
            int keep = Math.min(CONTEXT, context.length + ids.length);
            int[] next = new int[keep];
            int fromIds = Math.min(ids.length, keep);
            int fromOld = keep - fromIds;
            System.arraycopy(context, context.length - fromOld, next, 0, fromOld);
            System.arraycopy(ids, ids.length - fromIds, next, fromOld, fromIds);
            context = next;
        }
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final int max;
    private final long idleNanos;
    private final int stateSize;
    private final boolean lstm;
    private final long bytesPerSession;
    private final ServerMetrics metrics;
    private final SecureRandom random = new SecureRandom();

    SessionStore(ModelConfig config, int max, int idleSeconds, ServerMetrics metrics) {
        this.max = max;
        this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
        this.stateSize = config.layers() * config.hidden();
        this.lstm = config.cell() == CellType.LSTM;
        this.metrics = metrics;
        // h (and c), the next-token row, the context ids, and about 200 bytes of object headers and fields
        this.bytesPerSession = 4L * stateSize * (lstm ? 2 : 1) + 4L * config.vocabSize() + 4L * CONTEXT + 200;
        metrics.sessionGauges(sessions::size, () -> sessions.size() * bytesPerSession);
    }

    long bytesPerSession() {
        return bytesPerSession;
    }

    int max() {
        return max;
    }

    long idleSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(idleNanos);
    }

    int size() {
        return sessions.size();
    }

    /** A new, empty session, reserved ({@link Session#busy}) for the caller. */
    Session create() {
        expireIdle();
        synchronized (this) {
            if (sessions.size() >= max) {
                throw new RequestException(429, "there are " + max + " sessions already (the most this server keeps): "
                        + "delete one (DELETE /v1/sessions/ID) or wait for an idle one to expire after " + idleSeconds() + " s");
            }
            byte[] bits = new byte[16];
            random.nextBytes(bits);
            Session s = new Session("sess_" + HexFormat.of().formatHex(bits), stateSize, lstm);
            s.busy.set(true);
            sessions.put(s.id, s);
            return s;
        }
    }

    /** The session, reserved for the caller until {@link #release}; 404 when there is none, 409 when it is in use. */
    Session acquire(String id) {
        Session s = sessions.get(id);
        if (s == null || s.closed) {
            throw new RequestException(404, "no session " + truncate(id) + " (it expired, was deleted, or never existed)");
        }
        if (!s.busy.compareAndSet(false, true)) {
            throw new RequestException(409, "session " + s.id + " is busy with another request; send one request at a time");
        }
        s.lastUsedNanos = System.nanoTime();
        return s;
    }

    /** The session, for reading (it may be in use); 404 when there is none. */
    Session get(String id) {
        Session s = sessions.get(id);
        if (s == null || s.closed) {
            throw new RequestException(404, "no session " + truncate(id) + " (it expired, was deleted, or never existed)");
        }
        s.lastUsedNanos = System.nanoTime();
        return s;
    }

    void release(Session s) {
        s.lastUsedNanos = System.nanoTime();
        s.busy.set(false);
    }

    /** Removes a session at once (a request still using it finishes, and its result is dropped). */
    boolean delete(String id) {
        Session s = sessions.remove(id);
        if (s == null) {
            return false;
        }
        s.closed = true;
        return true;
    }

    List<Session> list() {
        return new ArrayList<>(sessions.values());
    }

    /** Closes sessions unused for the idle timeout (not those in use); called periodically. */
    void expireIdle() {
        long now = System.nanoTime();
        for (Session s : sessions.values()) {
            if (!s.busy.get() && now - s.lastUsedNanos > idleNanos && sessions.remove(s.id, s)) {
                s.closed = true;
                metrics.sessionsExpired.increment();
            }
        }
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
