package dev.ballast.lm.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * What a stretch of code cost in memory: bytes allocated by all live threads (the kernel workers
 * included) and the collector's count and time, read from the platform MXBeans before and after.
 * Allocation counts come from HotSpot's per-thread counters ({@code com.sun.management.ThreadMXBean});
 * on a JVM without them the allocation is reported as -1.
 */
public final class MemoryMeter {

    /**
     * @param allocatedBytes bytes allocated between {@link #start} and {@link #stop}, -1 if unknown
     * @param gcCount        collections that ran in between (all collectors)
     * @param gcMillis       their accumulated time
     * @param maxHeapBytes   the heap limit ({@code -Xmx})
     */
    public record Usage(long allocatedBytes, long gcCount, long gcMillis, long maxHeapBytes) {
    }

    private final long allocated0;
    private final long gcCount0;
    private final long gcMillis0;

    private MemoryMeter() {
        allocated0 = allocatedBytes();
        gcCount0 = gcCount();
        gcMillis0 = gcMillis();
    }

    /** Starts measuring now. */
    public static MemoryMeter start() {
        return new MemoryMeter();
    }

    /** The usage since {@link #start}. */
    public Usage stop() {
        long allocated = allocatedBytes();
        return new Usage(allocated < 0 || allocated0 < 0 ? -1 : allocated - allocated0,
                gcCount() - gcCount0, gcMillis() - gcMillis0, Runtime.getRuntime().maxMemory());
    }

    private static long allocatedBytes() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean hotspot) || !hotspot.isThreadAllocatedMemorySupported()
                || !hotspot.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long total = 0;
        for (long bytes : hotspot.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) {
                total += bytes; // -1 for a thread that ended in between
            }
        }
        return total;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : collectors()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : collectors()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static List<GarbageCollectorMXBean> collectors() {
        return ManagementFactory.getGarbageCollectorMXBeans();
    }
}
