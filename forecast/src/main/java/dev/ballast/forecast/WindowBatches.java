package dev.ballast.forecast;

import dev.ballast.corpora.Batches;
import dev.ballast.engine.Rng;

/**
 * Training batches of forecasting windows, drawn uniformly with replacement. The draw for batch p comes
 * from its own generator seeded by (seed, p), so the cursor is just p: a rollback or a resumed run seeks
 * to any batch at once and sees the same windows as an uninterrupted run.
 */
final class WindowBatches implements Batches {

    private final Windows windows;
    private final int batch;
    private final long seed;
    private final int lookback;
    private final int horizon;
    private final long predictions;
    private long position;

    /** @param predictions values scored per batch (every step of each window, or the H direct outputs) */
    WindowBatches(Windows windows, int batch, long seed, int lookback, int horizon, long predictions) {
        this.windows = windows;
        this.batch = batch;
        this.seed = seed;
        this.lookback = lookback;
        this.horizon = horizon;
        this.predictions = predictions;
    }

    /** Fills {@code starts} with the window starts of the batch at the cursor and advances it. */
    void next(int[] starts) {
        draw(position++, starts);
    }

    private void draw(long p, int[] starts) {
        Rng rng = new Rng(seed * 0x9E3779B97F4A7C15L + p);
        for (int b = 0; b < batch; b++) {
            starts[b] = windows.start(rng.nextInt(windows.count()));
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        this.position = position;
    }

    @Override
    public int epoch() {
        return (int) (position / windowsPerEpoch());
    }

    @Override
    public boolean epochStartsNext() {
        return position % windowsPerEpoch() == 0;
    }

    /** Batches that draw about as many windows as there are. */
    @Override
    public int windowsPerEpoch() {
        return Math.max(1, (windows.count() + batch - 1) / batch);
    }

    @Override
    public long predictionsPerBatch() {
        return predictions;
    }

    @Override
    public int window() {
        return lookback;
    }

    /** Window b of the batch at {@code position} reads series positions [start, start + lookback + horizon). */
    @Override
    public long[][] sourceRanges(long position) {
        int[] starts = new int[batch];
        draw(position, starts);
        long[][] ranges = new long[batch][];
        for (int b = 0; b < batch; b++) {
            ranges[b] = new long[] {starts[b], starts[b] + lookback + horizon};
        }
        return ranges;
    }
}
