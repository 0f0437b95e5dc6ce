package dev.ballast.lm.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class MemoryMeterTest {

    static volatile float[] keep;

    @Test
    void countsTheBytesAllocatedInBetween() {
        MemoryMeter meter = MemoryMeter.start();
        keep = new float[4 << 20]; // 16 MiB
        MemoryMeter.Usage u = meter.stop();
        assumeTrue(u.allocatedBytes() >= 0, "this JVM does not count per-thread allocation");
        assertTrue(u.allocatedBytes() >= 16L << 20, "allocated " + u.allocatedBytes());
        assertTrue(u.maxHeapBytes() > 0);
        assertTrue(u.gcCount() >= 0 && u.gcMillis() >= 0);
    }
}
