package dev.ballast.corpora;

/**
 * Cuts a token stream into windows for truncated backpropagation through time, laid out exactly
 * like PyTorch's word_language_model {@code batchify} / {@code get_batch}.
 *
 * <p>The tokens are split into {@code batch} parallel streams of {@code n = tokens.length / batch}
 * tokens (the remainder is dropped); stream {@code b} is {@code tokens[b*n, (b+1)*n)}. Window
 * {@code w} covers input steps {@code [w*seq, w*seq + L)} of every stream, with targets one step
 * later, so the hidden state carried from window {@code w} is the right start for {@code w+1}.
 *
 * <ul>
 *   <li>For training ({@code keepPartialLast = false}) only full windows exist:
 *       {@code windowsPerEpoch = (n-1) / seq}, matching the reference loop that restarts when
 *       {@code i + seq + 1 > n}.</li>
 *   <li>For evaluation ({@code keepPartialLast = true}) the last window may be shorter, so every
 *       target is scored: {@code windowsPerEpoch = ceil((n-1) / seq)}.</li>
 * </ul>
 *
 * <p>After the last window of an epoch, {@link #next} wraps to the first window of the next one;
 * {@link #epochStartsNext()} tells the training loop to reset the carried hidden state.
 *
 * <pre>{@code
 * TbpttBatcher batches = new TbpttBatcher(ids, 32, 64, false);
 * int[] x = new int[32 * 64], y = new int[32 * 64];   // (seq, batch), time-major
 * if (batches.epochStartsNext()) state.reset();
 * int steps = batches.next(x, y);                     // x[t*32 + b], y[t*32 + b]
 * }</pre>
 */
public final class TbpttBatcher implements Batches {

    private final int[] tokens;
    private final int batch;
    private final int seq;
    private final int streamLength;
    private final int windowsPerEpoch;
    private long position;

    /**
     * @param tokens the whole token stream; copied
     * @param batch number of parallel streams, at least 1
     * @param seq steps per window, at least 1
     * @param keepPartialLast whether a shorter last window is kept (evaluation) or dropped (training)
     * @throws IllegalArgumentException if batch or seq is below 1
     * @throws CorpusException if the tokens cannot fill a single window
     */
    public TbpttBatcher(int[] tokens, int batch, int seq, boolean keepPartialLast) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1, got " + seq);
        }
        if ((long) batch * seq > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch × seq must fit in one array, got " + batch + " × " + seq);
        }
        this.streamLength = tokens.length / batch;
        int steps = streamLength - 1; // every step needs the next token as its target
        this.windowsPerEpoch = steps <= 0 ? 0 : keepPartialLast ? (steps + seq - 1) / seq : steps / seq;
        if (windowsPerEpoch == 0) {
            String needed = keepPartialLast ? "2 steps" : "(" + seq + "+1) steps";
            throw CorpusException.naming("corpus too small: " + tokens.length + " tokens cannot fill " + batch
                    + " streams × " + needed + "; lower {batch}" + (keepPartialLast ? "" : " or {seq}"));
        }
        this.tokens = tokens.clone();
        this.batch = batch;
        this.seq = seq;
    }

    /** Windows in one pass over the streams. */
    @Override
    public int windowsPerEpoch() {
        return windowsPerEpoch;
    }

    public int batch() {
        return batch;
    }

    public int seq() {
        return seq;
    }

    /** Tokens per stream ({@code tokens.length / batch}). */
    public int streamLength() {
        return streamLength;
    }

    /** Windows handed out since the start, counted across epochs; saved in checkpoints. */
    @Override
    public long position() {
        return position;
    }

    /** Moves to an absolute position, e.g. one read from a checkpoint, so the same windows follow. */
    @Override
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be non-negative, got " + position);
        }
        this.position = position;
    }

    /** The epoch (from 0) that the next window belongs to. */
    @Override
    public int epoch() {
        return Math.toIntExact(position / windowsPerEpoch);
    }

    /** Whether the next window is the first of an epoch, so the carried hidden state must be reset. */
    @Override
    public boolean epochStartsNext() {
        return position % windowsPerEpoch == 0;
    }

    /**
     * Fills the next window and advances, wrapping to the next epoch after the last window.
     *
     * @param x inputs, time-major: {@code x[t*batch + b]}, length at least {@code batch*seq}
     * @param y targets, same layout: {@code y[t*batch + b]} is the token after {@code x[t*batch + b]}
     * @return the window length L (equal to {@code seq} except for a partial last window)
     */
    public int next(int[] x, int[] y) {
        if (x.length < batch * seq || y.length < batch * seq) {
            throw new IllegalArgumentException("x and y need batch*seq = " + batch * seq + " entries, got "
                    + x.length + " and " + y.length);
        }
        int window = (int) (position % windowsPerEpoch);
        int start = window * seq;
        int length = Math.min(seq, streamLength - 1 - start);
        for (int t = 0; t < length; t++) {
            for (int b = 0; b < batch; b++) {
                int i = b * streamLength + start + t;
                x[t * batch + b] = tokens[i];
                y[t * batch + b] = tokens[i + 1];
            }
        }
        position++;
        return length;
    }

    @Override
    public long predictionsPerBatch() {
        return (long) batch * seq;
    }

    @Override
    public int window() {
        return seq;
    }

    /** Stream b of the batch at {@code position} reads tokens [b·L + w·seq, b·L + w·seq + seq + 1) of the data. */
    @Override
    public long[][] sourceRanges(long position) {
        int w = (int) (position % windowsPerEpoch());
        long[][] ranges = new long[batch][];
        for (int b = 0; b < batch; b++) {
            long start = (long) b * streamLength() + (long) w * seq;
            ranges[b] = new long[] {start, start + seq + 1};
        }
        return ranges;
    }
}
