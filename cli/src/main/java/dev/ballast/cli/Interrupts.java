package dev.ballast.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during training must not lose work: the shutdown hook asks the trainer to stop after its
 * current step and waits (bounded) until the checkpoint is written.
 */
final class Interrupts {

    private static volatile boolean shuttingDown;

    private Interrupts() {
    }

    static boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * Installs a hook that calls {@code stop} on shutdown and then waits for {@code done}.
     * Returns the hook so a normal finish can remove it.
     */
    static Thread onShutdown(Runnable stop, CountDownLatch done) {
        Thread hook = new Thread(() -> {
            shuttingDown = true;
            stop.run();
            try {
                done.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ballast-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutdown already in progress: the hook is running and waits for us
        }
    }
}
