package dev.ballast.forecast;

/**
 * Cuts training windows out of an encoded series. A window starting at position t0 feeds the rows
 * t0 .. t0+L-1 and asks for
 * <ul>
 *   <li>one-step-ahead ({@link Strategy#RECURSIVE}): s_{t+1} at every step t of the window, so the
 *       targets are s_{t0+1} .. s_{t0+L}, laid out like the inputs, (L, B) time-major;</li>
 *   <li>direct: the H values after the window, s_{t0+L} .. s_{t0+L+H-1}, as (B, H).</li>
 * </ul>
 * Only windows whose targets lie before {@code end} (the training part) are used.
 */
public final class Windows {

    private final float[] rows;     // (n, F) input rows
    private final float[] s;        // (n) scaled targets
    private final int features;
    private final int lookback;
    private final int horizon;      // outputs per window for direct, 1 for recursive
    private final Strategy strategy;
    private final int lo;
    private final int hi;

    /**
     * @param rows     (n, F) input rows, position-major
     * @param s        (n) the scaled series
     * @param first    the first position with a defined s
     * @param end      targets must lie before this position
     */
    public Windows(float[] rows, float[] s, int features, int first, int end, int lookback, int horizon,
                   Strategy strategy) {
        this.rows = rows;
        this.s = s;
        this.features = features;
        this.lookback = lookback;
        this.horizon = strategy == Strategy.DIRECT ? horizon : 1;
        this.strategy = strategy;
        this.lo = first;
        this.hi = end - lookback - this.horizon;
    }

    /** How many distinct windows fit. */
    public int count() {
        return Math.max(0, hi - lo + 1);
    }

    /** The start of window i, 0 &lt;= i &lt; count(). */
    public int start(int i) {
        return lo + i;
    }

    // x: (L, B, F) time-major; y: (L, B) for recursive, (B, H) for direct
    /** Fills the inputs and targets of the windows starting at {@code starts[0..batch)}. */
    public void fill(int[] starts, int batch, float[] x, float[] y) {
        int l = lookback;
        for (int b = 0; b < batch; b++) {
            int t0 = starts[b];
            if (t0 < lo || t0 > hi) {
                throw new IllegalArgumentException("window start " + t0 + " outside [" + lo + ", " + hi + "]");
            }
            for (int t = 0; t < l; t++) {
                System.arraycopy(rows, (t0 + t) * features, x, (t * batch + b) * features, features);
            }
            if (strategy == Strategy.RECURSIVE) {
                for (int t = 0; t < l; t++) {
                    y[t * batch + b] = s[t0 + t + 1];
                }
            } else {
                for (int k = 0; k < horizon; k++) {
                    y[b * horizon + k] = s[t0 + l + k];
                }
            }
        }
    }
}
