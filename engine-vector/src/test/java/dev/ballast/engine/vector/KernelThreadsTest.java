package dev.ballast.engine.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The spin-then-park hand-off: every part runs once per call, nesting runs inline, failures surface. */
class KernelThreadsTest {

    private final KernelThreads pool = KernelThreads.shared(2);

    @Test
    void runsEveryPartExactlyOncePerCall() {
        int[] counts = new int[2];
        for (int call = 0; call < 20_000; call++) {
            pool.run(2, p -> counts[p]++);
        }
        assertArrayEquals(new int[] {20_000, 20_000}, counts);
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        AtomicInteger inner = new AtomicInteger();
        for (int call = 0; call < 1000; call++) {
            pool.run(2, p -> pool.run(2, q -> inner.incrementAndGet()));
        }
        assertEquals(4000, inner.get());
    }

    @Test
    void callsFromSeveralThreadsAllComplete() throws InterruptedException {
        AtomicInteger parts = new AtomicInteger();
        Thread[] callers = new Thread[3];
        for (int i = 0; i < callers.length; i++) {
            callers[i] = new Thread(() -> {
                for (int call = 0; call < 2000; call++) {
                    pool.run(2, p -> parts.incrementAndGet());
                }
            });
            callers[i].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(3 * 2000 * 2, parts.get());
    }

    @Test
    void aFailingPartIsRethrownAfterTheOthersFinish() {
        for (int failing = 0; failing < 2; failing++) {
            int bad = failing;
            int[] done = new int[2];
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(2, p -> {
                if (p == bad) {
                    throw new IllegalStateException("part " + p);
                }
                done[p] = 1;
            }));
            assertEquals("part " + bad, e.getMessage());
            assertEquals(1, done[1 - bad]);
        }
        int[] after = new int[2];
        pool.run(2, p -> after[p] = 1); // the pool is usable again
        assertArrayEquals(new int[] {1, 1}, after);
    }
}
