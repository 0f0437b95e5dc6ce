package dev.ballast.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.nn.CellType;
import org.junit.jupiter.api.Test;

class ResourceLimitsTest {

    @Test
    void threadCountsAreBoundedByCoresAndACap() {
        int max = ResourceLimits.maxThreads();
        assertTrue(max >= 1 && max <= 256);
        assertDoesNotThrow(() -> ResourceLimits.checkThreads("--threads", 0));
        assertDoesNotThrow(() -> ResourceLimits.checkThreads("--threads", max));
        InputException e = assertThrows(InputException.class, () -> ResourceLimits.checkThreads("--threads", 100_000));
        assertTrue(e.getMessage().startsWith("--threads 100000 is more than this machine can use: at most " + max), e.getMessage());
        assertThrows(InputException.class, () -> ResourceLimits.checkThreads("--threads", -1));
        // The kernels refuse it too, before any pool is made.
        assertThrows(InputException.class, () -> KernelProvider.best(100_000));
    }

    @Test
    void parameterCountsUseLongArithmetic() {
        // 4 x 2^30 overflows an int; the check must see it, not a wrapped-around small number.
        InputException e = assertThrows(InputException.class,
                () -> ResourceLimits.recurrentParameters(CellType.LSTM.gates(), 64, 1L << 30, 1, "lower --hidden"));
        assertTrue(e.getMessage().contains("would hold") && e.getMessage().endsWith(": lower --hidden"), e.getMessage());
        assertEquals(4L * 256 * (64 + 256) + 4 * 256 + 4L * 256 * 512 + 4 * 256,
                ResourceLimits.recurrentParameters(CellType.LSTM.gates(), 64, 256, 2, "x"));
        assertEquals(Long.MAX_VALUE, ResourceLimits.multiplyOrMax(1L << 40, 1L << 40));
        assertThrows(InputException.class, () -> ResourceLimits.arraySize("a", "b", 1L << 40, 1L << 40, 4));
    }

    @Test
    void theHeapCheckSaysHowMuchAndWhatToDo() {
        InputException e = assertThrows(InputException.class,
                () -> ResourceLimits.checkHeap("the model", 1L << 50, "lower --hidden"));
        assertTrue(e.getMessage().startsWith("the model needs 1.0 PB, the heap is "), e.getMessage());
        assertTrue(e.getMessage().contains(": lower --hidden or set BALLAST_JAVA_OPTS"), e.getMessage());
        assertDoesNotThrow(() -> ResourceLimits.checkHeap("the model", 1 << 20, "x"));
        assertEquals("6.4 GB", ResourceLimits.bytes((long) (6.4 * (1L << 30))));
        assertEquals("512 MB", ResourceLimits.bytes(512L << 20));
        assertEquals("100 bytes", ResourceLimits.bytes(100));
    }
}
