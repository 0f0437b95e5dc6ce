package dev.ballast.engine;

/**
 * The one source of randomness in training and sampling: SplitMix64, whose whole state is a single
 * {@code long} so that checkpoints can save it and resume continues with exactly the same numbers
 * (java.util.Random hides its state). Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014.
 */
public final class Rng {

    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The complete state; {@code new Rng(0).restore(s)} continues the same sequence. */
    public long state() {
        return state;
    }

    public void restore(long state) {
        this.state = state;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Standard normal by the Box-Muller transform. */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // in (0, 1], safe for log
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** An independent generator derived from this one, e.g. one per purpose (init, dropout, sampling). */
    public Rng split() {
        return new Rng(nextLong());
    }
}
