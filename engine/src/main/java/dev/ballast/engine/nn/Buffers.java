package dev.ballast.engine.nn;

/** Grow-only scratch arrays: layers size their buffers for the largest (steps, batch) seen, then reuse them. */
public final class Buffers {

    private Buffers() {
    }

    /** {@code a} if it holds at least {@code n} floats, else a new array of exactly {@code n}. */
    public static float[] ensure(float[] a, int n) {
        return a != null && a.length >= n ? a : new float[n];
    }

    public static int[] ensure(int[] a, int n) {
        return a != null && a.length >= n ? a : new int[n];
    }
}
