package dev.ballast.inference;

import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.ModelConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Continuous batching: one thread steps every active stream of every request together. Each step gathers
 * the streams' states into one (L, B, H) batch state, makes one {@link InferenceModel#forward} call for all
 * of them (so one matrix product per layer per time step, whatever B is) and scatters the states and rows of
 * log-probabilities back. Streams join and leave between steps: a request is admitted as soon as there is
 * room for its streams under {@code maxStreams}, and leaves the step after its last token.
 *
 * <p>A step runs at most two calls: the streams with one token to read (generating) with a window of 1, and
 * the streams reading a prompt or a text (prefill) with a window of up to {@code chunk} tokens, the same
 * length for all of them (the shortest remaining). So a long prompt is read in chunks between other
 * streams' tokens instead of holding them up. The back-ends compute each row of a product on its own
 * (Ballast's kernels sum every element in one fixed order), so a stream's numbers do not depend on what it
 * was batched with: with per-request samplers, each request gets exactly what it would get alone.
 *
 * <p>Back-pressure: requests wait in a queue of at most {@code maxQueue} for room; a full queue refuses
 * ({@link QueueFull}). Each job has a deadline (waiting included) and can be cancelled; both are checked
 * every step. {@link #shutdown} stops admitting, lets running jobs finish for a grace period and then aborts
 * the rest, so every request gets an answer.
 */
final class BatchScheduler implements AutoCloseable {

    /** Floats of log-probabilities one model call may produce: bounds the prefill window for big vocabularies. */
    static final int OUT_BUDGET_FLOATS = 1 << 22;

    /** The queue is full: answer 503 with Retry-After. */
    static final class QueueFull extends RuntimeException {
        QueueFull(String message) {
            super(message);
        }
    }

    /** The scheduler no longer takes work (shutting down). */
    static final class Closed extends RuntimeException {
        Closed() {
            super("the server is shutting down");
        }
    }

    private final InferenceModel model;
    private final int layers;
    private final int hidden;
    private final int vocab;
    private final boolean lstm;
    private final int maxStreams;
    private final int maxQueue;
    private final int chunk;
    private final ServerMetrics metrics;

    private final Object lock = new Object();
    private final ArrayDeque<BatchJob> queue = new ArrayDeque<>();   // guarded by lock
    private boolean accepting = true;                               // guarded by lock
    private long abortAtNanos = Long.MAX_VALUE;                     // guarded by lock; shutdown's deadline
    private boolean stopped;                                        // guarded by lock: the thread has ended

    // Scheduler thread only.
    private final List<Active> active = new ArrayList<>();
    private volatile int activeStreams;
    private final Thread thread;

    // Scheduler thread only: batch buffers of the exact shapes of the last call, one set per kind of call.
    private final Buffers singleBuffers = new Buffers();
    private final Buffers chunkBuffers = new Buffers();

    private final class Buffers {
        int[] tokens = new int[0];
        float[] h = new float[0];
        float[] c;
        float[] out = new float[0];

        void shape(int steps, int b) {
            int n = layers * b * hidden;
            if (tokens.length != steps * b) {
                tokens = new int[steps * b];
            }
            if (h.length != n) {
                h = new float[n];
                c = lstm ? new float[n] : null;
            }
            if (out.length != steps * b * vocab) {
                out = new float[steps * b * vocab];
            }
        }
    }

    private record Active(BatchJob job, List<? extends BatchStream> streams) {
        boolean done() {
            for (BatchStream s : streams) {
                if (!s.done) {
                    return false;
                }
            }
            return true;
        }
    }

    BatchScheduler(InferenceModel model, int maxStreams, int maxQueue, int chunk, ServerMetrics metrics) {
        this.model = model;
        ModelConfig cfg = model.config();
        this.layers = cfg.layers();
        this.hidden = cfg.hidden();
        this.vocab = cfg.vocabSize();
        this.lstm = cfg.cell() == CellType.LSTM;
        this.maxStreams = maxStreams;
        this.maxQueue = maxQueue;
        this.chunk = chunk;
        this.metrics = metrics;
        metrics.gauges(() -> activeStreams, this::queueDepth, () -> maxStreams);
        thread = new Thread(this::loop, "ballast-batch");
        thread.setDaemon(true);
        thread.start();
    }

    int maxStreams() {
        return maxStreams;
    }

    int queueDepth() {
        synchronized (lock) {
            return queue.size();
        }
    }

    int activeStreams() {
        return activeStreams;
    }

    /**
     * Queues a job; it is admitted when there is room for its {@link BatchJob#width()} streams.
     *
     * @throws QueueFull when {@code maxQueue} jobs are waiting already
     * @throws Closed    once {@link #shutdown} has begun
     */
    void submit(BatchJob job) {
        if (job.width() < 1 || job.width() > maxStreams) {
            throw new IllegalArgumentException("a job needs 1 to " + maxStreams + " streams, got " + job.width());
        }
        synchronized (lock) {
            if (!accepting) {
                throw new Closed();
            }
            if (queue.size() >= maxQueue) {
                metrics.rejectedQueueFull.increment();
                throw new QueueFull("the server is busy: " + queue.size() + " requests are waiting already; retry shortly");
            }
            queue.add(job);
            lock.notifyAll();
        }
    }

    private void loop() {
        try {
            while (true) {
                List<BatchJob> admitted = new ArrayList<>();
                List<BatchJob> dropped = new ArrayList<>();
                boolean abortAll;
                synchronized (lock) {
                    while (queue.isEmpty() && active.isEmpty() && accepting) {
                        lock.wait();
                    }
                    if (queue.isEmpty() && active.isEmpty()) {
                        break; // not accepting and nothing left
                    }
                    long now = System.nanoTime();
                    abortAll = now - abortAtNanos >= 0;
                    for (Iterator<BatchJob> it = queue.iterator(); it.hasNext(); ) {
                        BatchJob j = it.next();
                        if (j.cancelled() || j.expired(now)) {
                            it.remove();
                            dropped.add(j);
                        }
                    }
                    if (abortAll) {
                        dropped.addAll(queue);
                        queue.clear();
                    }
                    int width = activeStreams;
                    while (!abortAll && !queue.isEmpty() && width + queue.peek().width() <= maxStreams) {
                        BatchJob j = queue.poll();
                        width += j.width();
                        admitted.add(j);
                    }
                }
                for (BatchJob j : dropped) {
                    end(j, abortAll ? BatchJob.Abort.SHUTDOWN : j.cancelled() ? BatchJob.Abort.CANCELLED
                            : BatchJob.Abort.TIMEOUT, null);
                }
                for (BatchJob j : admitted) {
                    admit(j);
                }
                if (abortAll) {
                    for (Active a : active) {
                        end(a.job(), BatchJob.Abort.SHUTDOWN, null);
                    }
                    active.clear();
                    activeStreams = 0;
                    continue; // the queue is drained the same way on the next pass
                }
                reap();
                step();
                reap();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            List<BatchJob> left;
            synchronized (lock) {
                accepting = false;
                stopped = true;
                left = new ArrayList<>(queue);
                queue.clear();
                lock.notifyAll();
            }
            for (Active a : active) {
                end(a.job(), BatchJob.Abort.SHUTDOWN, null);
            }
            active.clear();
            activeStreams = 0;
            for (BatchJob j : left) {
                end(j, BatchJob.Abort.SHUTDOWN, null);
            }
        }
    }

    private void admit(BatchJob job) {
        List<? extends BatchStream> streams;
        try {
            streams = job.streams();
            for (BatchStream s : streams) {
                s.begin();
            }
        } catch (RuntimeException e) {
            end(job, BatchJob.Abort.ERROR, e);
            return;
        }
        active.add(new Active(job, streams));
        activeStreams += streams.size();
    }

    /** Ends the jobs that are done, cancelled or past their deadline. */
    private void reap() {
        long now = System.nanoTime();
        for (Iterator<Active> it = active.iterator(); it.hasNext(); ) {
            Active a = it.next();
            BatchJob j = a.job();
            if (a.done() && j.failure() == null) {
                it.remove();
                activeStreams -= a.streams().size();
                try {
                    j.completed();
                } catch (RuntimeException e) {
                    System.err.println("ballast serve: a finished request failed to answer: " + e);
                }
            } else if (j.failure() != null) {
                it.remove();
                activeStreams -= a.streams().size();
                end(j, BatchJob.Abort.ERROR, j.failure());
            } else if (j.cancelled() || j.expired(now)) {
                it.remove();
                activeStreams -= a.streams().size();
                end(j, j.cancelled() ? BatchJob.Abort.CANCELLED : BatchJob.Abort.TIMEOUT, null);
            }
        }
    }

    private void end(BatchJob job, BatchJob.Abort reason, Throwable error) {
        if (reason == BatchJob.Abort.TIMEOUT) {
            metrics.timedOut.increment();
        }
        try {
            job.aborted(reason, error);
        } catch (RuntimeException e) {
            System.err.println("ballast serve: an aborted request failed to answer: " + e);
        }
    }

    /** One scheduler step: the generating streams' tokens in one call, the prefilling streams' chunks in another. */
    private void step() {
        List<BatchStream> singles = new ArrayList<>();
        List<BatchStream> chunks = new ArrayList<>();
        List<BatchJob> owners1 = new ArrayList<>();
        List<BatchJob> owners2 = new ArrayList<>();
        int window = chunk;
        for (Active a : active) {
            for (BatchStream s : a.streams()) {
                int r = s.done ? 0 : s.remaining();
                if (r == 1) {
                    singles.add(s);
                    owners1.add(a.job());
                } else if (r > 1) {
                    chunks.add(s);
                    owners2.add(a.job());
                    window = Math.min(window, r);
                }
            }
        }
        if (!singles.isEmpty()) {
            run(singles, owners1, 1, singleBuffers);
        }
        if (!chunks.isEmpty()) {
            int budget = Math.max(1, OUT_BUDGET_FLOATS / (chunks.size() * vocab));
            run(chunks, owners2, Math.max(1, Math.min(window, budget)), chunkBuffers);
        }
        if (singles.isEmpty() && chunks.isEmpty() && !active.isEmpty()) {
            // Streams with nothing to read and not done would spin; a stream must always queue input or finish.
            for (Active a : active) {
                for (BatchStream s : a.streams()) {
                    if (!s.done && s.remaining() == 0) {
                        s.done = true;
                    }
                }
            }
        }
    }

    // tokens: (S, B); h, c: (L, B, H); out: (S, B, V)
    private void run(List<BatchStream> streams, List<BatchJob> owners, int steps, Buffers buf) {
        int b = streams.size();
        buf.shape(steps, b);
        int[] window = buf.tokens;
        float[] hb = buf.h;
        float[] cb = buf.c;
        float[] ob = buf.out;
        for (int i = 0; i < b; i++) {
            BatchStream s = streams.get(i);
            for (int t = 0; t < steps; t++) {
                window[t * b + i] = s.input[s.pos + t];
            }
            for (int l = 0; l < layers; l++) {
                System.arraycopy(s.h, l * hidden, hb, (l * b + i) * hidden, hidden);
                if (lstm) {
                    System.arraycopy(s.c, l * hidden, cb, (l * b + i) * hidden, hidden);
                }
            }
        }
        long t0 = System.nanoTime();
        try {
            model.forward(window, steps, b, hb, cb, ob);
        } catch (RuntimeException e) {
            // A model failure is nobody's request in particular: fail every job in this call, keep serving.
            for (int i = 0; i < b; i++) {
                streams.get(i).done = true;
            }
            for (BatchJob j : new java.util.LinkedHashSet<>(owners)) {
                j.cancelFailed(e);
            }
            return;
        }
        metrics.modelNanos.add(System.nanoTime() - t0);
        metrics.modelSteps.increment();
        metrics.batchSize.observe(b);
        for (int i = 0; i < b; i++) {
            BatchStream s = streams.get(i);
            for (int l = 0; l < layers; l++) {
                System.arraycopy(hb, (l * b + i) * hidden, s.h, l * hidden, hidden);
                if (lstm) {
                    System.arraycopy(cb, (l * b + i) * hidden, s.c, l * hidden, hidden);
                }
            }
            int from = s.pos;
            s.pos += steps;
            try {
                s.fed(from, steps, ob, b, i, vocab);
            } catch (RuntimeException e) {
                s.done = true;
                owners.get(i).cancelFailed(e);
            }
        }
    }

    /**
     * Stops taking jobs; running and queued jobs go on for up to {@code graceMillis}, then are aborted
     * ({@link BatchJob.Abort#SHUTDOWN}). Returns when the scheduler thread has ended or {@code waitMillis} passed.
     */
    void shutdown(long graceMillis, long waitMillis) {
        synchronized (lock) {
            accepting = false;
            abortAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
            lock.notifyAll();
        }
        try {
            thread.join(Math.max(1, waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the scheduler thread has ended. */
    boolean stopped() {
        synchronized (lock) {
            return stopped;
        }
    }

    @Override
    public void close() {
        shutdown(0, 5000);
    }
}
