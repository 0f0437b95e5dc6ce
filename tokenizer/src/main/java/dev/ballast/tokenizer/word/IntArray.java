package dev.ballast.tokenizer.word;

import java.util.Arrays;

/**
 * A growable array of ints: the token-id stream of a corpus whose length is not known in advance.
 * Grows by half each time, so building n ids needs at most about 1.5 n ints at once (2.5 n while
 * the final {@link #toArray()} copy is made).
 */
public final class IntArray {

    private int[] data;
    private int size;

    public IntArray(int initialCapacity) {
        data = new int[Math.max(16, initialCapacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            long grown = (long) data.length + (data.length >> 1);
            if (grown > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " tokens do not fit one id array");
            }
            data = Arrays.copyOf(data, (int) grown);
        }
        data[size++] = v;
    }

    public int get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " outside [0, " + size + ")");
        }
        return data[i];
    }

    public int size() {
        return size;
    }

    /** The backing array (valid in [0, size())), without copying; adding more may replace it. */
    int[] array() {
        return data;
    }

    /** A copy holding exactly the ids added. */
    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }

    /** A copy of {@code [from, to)}. */
    public int[] toArray(int from, int to) {
        return Arrays.copyOfRange(data, from, to);
    }
}
