package dev.ballast.corpora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TbpttBatcherTest {

    private static int[] range(int n) {
        return IntStream.range(0, n).toArray();
    }

    @Test
    void laysOutStreamsTimeMajorWithShiftedTargets() {
        // 21 tokens, batch 2 -> n = 10 per stream (token 20 dropped): stream 0 = 0..9, stream 1 = 10..19.
        // seq 3 -> (10-1)/3 = 3 windows starting at steps 0, 3, 6.
        TbpttBatcher batches = new TbpttBatcher(range(21), 2, 3, false);
        assertEquals(3, batches.windowsPerEpoch());
        int[] x = new int[6];
        int[] y = new int[6];
        assertEquals(3, batches.next(x, y));
        assertArrayEquals(new int[] {0, 10, 1, 11, 2, 12}, x);  // x[t*2 + b]
        assertArrayEquals(new int[] {1, 11, 2, 12, 3, 13}, y);
        batches.next(x, y);
        assertArrayEquals(new int[] {3, 13, 4, 14, 5, 15}, x);
        assertEquals(3, batches.next(x, y));
        assertArrayEquals(new int[] {6, 16, 7, 17, 8, 18}, x);
        assertArrayEquals(new int[] {7, 17, 8, 18, 9, 19}, y);
    }

    @Test
    void wrapsToTheNextEpochAndSaysSo() {
        TbpttBatcher batches = new TbpttBatcher(range(21), 2, 3, false);
        int[] x = new int[6];
        int[] y = new int[6];
        assertTrue(batches.epochStartsNext());
        assertEquals(0, batches.epoch());
        batches.next(x, y);
        assertFalse(batches.epochStartsNext());
        batches.next(x, y);
        batches.next(x, y);
        assertTrue(batches.epochStartsNext());
        assertEquals(1, batches.epoch());
        assertEquals(3, batches.position());
        batches.next(x, y);
        assertArrayEquals(new int[] {0, 10, 1, 11, 2, 12}, x);
        assertEquals(4, batches.position());
        assertEquals(1, batches.epoch());
    }

    @Test
    void windowsPerEpochMatchesTheReferenceLoop() {
        // Reference: i = 0; each step: if i + T + 1 > n: i = 0 (new epoch); use data[i:i+T+1]; i += T.
        for (int n = 2; n <= 40; n++) {
            for (int seq = 1; seq < n; seq++) {
                int windows = 0;
                for (int i = 0; i + seq + 1 <= n; i += seq) {
                    windows++;
                }
                TbpttBatcher batches = new TbpttBatcher(range(3 * n + 2), 3, seq, false);
                assertEquals(windows, batches.windowsPerEpoch(), "n=" + n + " seq=" + seq);
            }
        }
    }

    @Test
    void seekReproducesTheSameWindows() {
        TbpttBatcher batches = new TbpttBatcher(range(101), 4, 5, false);
        List<int[]> seen = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int[] x = new int[20];
            int[] y = new int[20];
            batches.next(x, y);
            seen.add(concat(x, y));
        }
        TbpttBatcher resumed = new TbpttBatcher(range(101), 4, 5, false);
        resumed.seek(7);
        assertEquals(batches.windowsPerEpoch() <= 7, resumed.epoch() >= 1);
        for (int i = 7; i < 12; i++) {
            int[] x = new int[20];
            int[] y = new int[20];
            resumed.next(x, y);
            assertArrayEquals(seen.get(i), concat(x, y), "window " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> resumed.seek(-1));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void keepsAShorterLastWindowForEvaluation() {
        // 22 tokens, batch 2 -> n = 11: stream 0 = 0..10, stream 1 = 11..21; 10 targets per stream.
        // seq 4: full windows only -> 2; with the partial one -> ceil(10/4) = 3, the last of length 2.
        assertEquals(2, new TbpttBatcher(range(22), 2, 4, false).windowsPerEpoch());
        TbpttBatcher batches = new TbpttBatcher(range(22), 2, 4, true);
        assertEquals(3, batches.windowsPerEpoch());
        int[] x = new int[8];
        int[] y = new int[8];
        assertEquals(4, batches.next(x, y));
        assertEquals(4, batches.next(x, y));
        assertEquals(2, batches.next(x, y));
        assertArrayEquals(new int[] {8, 19, 9, 20}, Arrays.copyOf(x, 4));
        assertArrayEquals(new int[] {9, 20, 10, 21}, Arrays.copyOf(y, 4));
        assertTrue(batches.epochStartsNext());
    }

    @Test
    void tooSmallCorpusNamesTheSizes() {
        CorpusException e = assertThrows(CorpusException.class, () -> new TbpttBatcher(range(120), 32, 64, false));
        assertEquals("corpus too small: 120 tokens cannot fill 32 streams × (64+1) steps; lower batch or seq",
                e.getMessage());
        // Exactly seq+1 tokens per stream is the smallest that fits one window.
        assertEquals(1, new TbpttBatcher(range(32 * 65), 32, 64, false).windowsPerEpoch());
        assertThrows(CorpusException.class, () -> new TbpttBatcher(range(32 * 65 - 1), 32, 64, false));
    }

    @Test
    void batchAndSeqMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TbpttBatcher(range(100), 0, 4, false));
        assertTrue(e.getMessage().startsWith("batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TbpttBatcher(range(100), 2, 0, false));
        assertTrue(e.getMessage().startsWith("seq"), e.getMessage());
    }

    @Test
    void tokensAreCopiedAtConstruction() {
        int[] tokens = range(21);
        TbpttBatcher batches = new TbpttBatcher(tokens, 2, 3, false);
        tokens[0] = 99;
        int[] x = new int[6];
        batches.next(x, new int[6]);
        assertEquals(0, x[0]);
    }
}
