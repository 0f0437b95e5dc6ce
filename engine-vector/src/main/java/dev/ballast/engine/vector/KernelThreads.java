package dev.ballast.engine.vector;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A small fixed set of daemon threads that runs the parts of one kernel call in parallel, with a
 * hand-off cheap enough for the per-step gemms of a recurrence and for batch-1 generation. Pools
 * are shared per thread count, so every {@link VectorKernels} with the same count uses the same
 * threads and creating kernels is cheap.
 *
 * <p>Hand-off: a call publishes its task by bumping a call number in one atomic word; a worker
 * that has just finished a part spins on that word for {@link #SPIN_NANOS} before it parks, so the
 * back-to-back calls of a training or generation step reach a running thread (about a
 * microsecond) instead of waking a parked one through an executor queue (10-20 us measured with
 * the {@code ExecutorService} this replaces). The caller runs part 0 itself, then spins (and
 * after the same budget parks) until the workers are done.
 *
 * <p>A pool for {@code n} threads owns {@code n - 1} workers. Parts are claimed, not assigned:
 * after part 0 the caller also claims parts no worker has started, so a worker that is parked or
 * descheduled (on a machine shared with other jobs) delays a call by at most its own part. Which
 * thread runs a part never changes its arithmetic. The pool takes one call at a time: a call made
 * while it is busy (from a worker, from inside part 0, or from another thread) runs all its parts
 * inline on the calling thread, so nesting can never deadlock.
 */
final class KernelThreads {

    /**
     * How long an idle worker (and a waiting caller) spins before parking. Long enough to bridge
     * the element-wise work between two gemms of one step, short enough that an idle pool stops
     * burning a core almost at once.
     */
    static final long SPIN_NANOS = 50_000;

    private static final ConcurrentHashMap<Integer, KernelThreads> SHARED = new ConcurrentHashMap<>();

    private final int threads;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();

    // The call being run: written by the caller before `claims` publishes it, read after a claim.
    private IntConsumer task;
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile Thread waitingCaller;
    private volatile Throwable failure;

    private KernelThreads(int threads) {
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 1; w < threads; w++) {
            Worker worker = new Worker("ballast-kernel-" + threads + "-" + w);
            worker.setDaemon(true);
            workers[w - 1] = worker;
            worker.start();
        }
    }

    /** The pool for {@code threads} threads (at least 2), created on first use. */
    static KernelThreads shared(int threads) {
        if (threads < 2 || threads > 255) {
            throw new IllegalArgumentException("a kernel pool needs 2 to 255 threads, got " + threads);
        }
        return SHARED.computeIfAbsent(threads, KernelThreads::new);
    }

    int threads() {
        return threads;
    }

    /** Runs {@code part.accept(p)} for p in [0, parts) and returns when all have finished. */
    void run(int parts, IntConsumer part) {
        if (parts > threads) {
            throw new IllegalArgumentException(parts + " parts for a pool of " + threads + " threads");
        }
        if (parts == 1 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
            return;
        }
        try {
            long call = (claims.get() >>> CALL_SHIFT) + 1;
            this.task = part;
            this.failure = null;
            unfinished.set(parts - 1);
            claims.set(call << CALL_SHIFT | (long) parts << PARTS_SHIFT | 1); // publishes task
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            Throwable own = null;
            try {
                part.accept(0);
                // Parts no worker has claimed yet (a worker still parked, or descheduled on a busy
                // machine) are run here rather than waited for; the arithmetic is the same.
                while (runClaimed(call)) {
                    // keep claiming
                }
            } catch (RuntimeException | Error e) {
                own = e; // the workers still write into the caller's arrays: wait for them first
            }
            awaitWorkers();
            this.task = null;
            rethrow(own != null ? own : failure);
        } finally {
            busy.set(false);
        }
    }

    // claims: call number (high bits) | parts of that call (8 bits) | next unclaimed part (8 bits).
    private static final int CALL_SHIFT = 16;
    private static final int PARTS_SHIFT = 8;
    private static final long BYTE = 0xff;

    /**
     * Claims the next part of call {@code call} and runs it. Returns false when the pool has moved
     * on to another call or every part of this one is claimed. Because the call and the part
     * index change together, a thread can never run a part of a call it did not see published,
     * and the caller cannot move on while a claimed part is unfinished.
     */
    private boolean runClaimed(long call) {
        while (true) {
            long c = claims.get();
            int next = (int) (c & BYTE);
            if (c >>> CALL_SHIFT != call || next >= (int) (c >>> PARTS_SHIFT & BYTE)) {
                return false;
            }
            if (claims.compareAndSet(c, c + 1)) {
                try {
                    task.accept(next);
                } catch (Throwable t) {
                    failure = t;
                }
                if (unfinished.decrementAndGet() == 0) {
                    Thread caller = waitingCaller;
                    if (caller != null) {
                        LockSupport.unpark(caller);
                    }
                }
                return true;
            }
        }
    }

    /** Spins, then parks, until every part claimed by a worker has finished. */
    private void awaitWorkers() {
        long spinEnd = System.nanoTime() + SPIN_NANOS;
        while (unfinished.get() != 0 && System.nanoTime() < spinEnd) {
            Thread.onSpinWait();
        }
        if (unfinished.get() == 0) {
            return;
        }
        boolean interrupted = false;
        waitingCaller = Thread.currentThread();
        while (unfinished.get() != 0) {
            LockSupport.park(this);
            // The parts write into the caller's arrays, so the caller must not return early.
            interrupted |= Thread.interrupted();
        }
        waitingCaller = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IllegalStateException("kernel part failed", t);
    }

    /** A pool thread: waits for each new call and claims parts of it until none is left. */
    private final class Worker extends Thread {
        private volatile boolean parked;

        Worker(String name) {
            super(name);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                seen = awaitCall(seen);
                while (runClaimed(seen)) {
                    // keep claiming
                }
            }
        }

        /** Spins, then parks, until a call after {@code seen} is published; returns its number. */
        private long awaitCall(long seen) {
            long spinEnd = System.nanoTime() + SPIN_NANOS;
            long call;
            while ((call = claims.get() >>> CALL_SHIFT) == seen) {
                if (System.nanoTime() < spinEnd) {
                    Thread.onSpinWait();
                } else {
                    parked = true; // a caller that publishes after this read will unpark us
                    if (claims.get() >>> CALL_SHIFT == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
            return call;
        }
    }
}
