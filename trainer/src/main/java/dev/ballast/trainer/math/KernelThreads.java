package dev.ballast.trainer.math;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A small fixed pool of daemon threads that runs the parts of one kernel call in parallel. Pools
 * are shared per thread count, so every {@link VectorKernels} with the same count uses the same
 * threads and creating kernels is cheap.
 *
 * <p>The calling thread always runs part 0 itself, so a pool for {@code n} threads owns
 * {@code n - 1} workers. A call made from inside a worker (a kernel used by a task that is itself
 * running on the pool) runs all parts on that worker, which can never deadlock.
 */
final class KernelThreads {

    private static final ConcurrentHashMap<Integer, KernelThreads> SHARED = new ConcurrentHashMap<>();

    private final int threads;
    private final ExecutorService workers;

    private KernelThreads(int threads) {
        this.threads = threads;
        this.workers = Executors.newFixedThreadPool(threads - 1, task -> {
            Thread t = new Worker(task, "ballast-kernel-" + threads);
            t.setDaemon(true);
            return t;
        });
    }

    /** The pool for {@code threads} threads (at least 2), created on first use. */
    static KernelThreads shared(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a kernel pool needs at least 2 threads, got " + threads);
        }
        return SHARED.computeIfAbsent(threads, KernelThreads::new);
    }

    int threads() {
        return threads;
    }

    /** Runs {@code part.accept(p)} for p in [0, parts) and returns when all have finished. */
    void run(int parts, IntConsumer part) {
        if (parts == 1 || Thread.currentThread() instanceof Worker) {
            for (int p = 0; p < parts; p++) {
                part.accept(p);
            }
            return;
        }
        List<Future<?>> pending = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int index = p;
            pending.add(workers.submit(() -> part.accept(index)));
        }
        part.accept(0);
        for (Future<?> f : pending) {
            await(f);
        }
    }

    private static void await(Future<?> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    return;
                } catch (InterruptedException e) {
                    // The parts write into the caller's arrays, so the caller must not return early.
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new IllegalStateException("kernel part failed", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Marks pool threads so nested calls run inline instead of waiting on their own pool. */
    private static final class Worker extends Thread {
        Worker(Runnable task, String name) {
            super(task, name);
        }
    }
}
