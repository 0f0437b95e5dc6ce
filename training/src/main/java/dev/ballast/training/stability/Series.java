package dev.ballast.training.stability;

import java.util.Arrays;

/** A growable list of doubles: one value per step (or per diagnostic) for charts and statistics. */
public final class Series {

    private double[] values = new double[64];
    private int size;

    public void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    public int size() {
        return size;
    }

    public double get(int i) {
        return values[i];
    }

    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }

    /** Drops every value from index {@code newSize} on (used when a rollback rewinds the run). */
    public void truncate(int newSize) {
        size = Math.min(size, newSize);
    }

    /** The p-th percentile (0..100) of the finite values, NaN when there are none. */
    public double percentile(double p) {
        double[] sorted = Arrays.stream(values, 0, size).filter(Double::isFinite).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }
}
