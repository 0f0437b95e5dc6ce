package dev.ballast.inference;

/**
 * One stream of tokens the {@link BatchScheduler} steps: its recurrent state and the tokens it has to read
 * next. Each scheduler step feeds some of {@link #input} (one token while generating, a chunk while reading a
 * prompt) together with other streams' tokens in one model call, then hands this stream its rows of
 * log-probabilities ({@link #fed}); the stream then either queues more input (the token it sampled) or is
 * {@link #done}. Only the scheduler thread touches a stream once it is submitted.
 */
abstract class BatchStream {

    static final int[] NO_TOKENS = new int[0];

    /** (L, H) hidden state, layer by layer; the scheduler gathers it into the batch and writes it back. */
    final float[] h;
    /** (L, H) cell state, or null for an RNN. */
    final float[] c;
    /** Tokens to read: {@code input[pos..]}. */
    int[] input = NO_TOKENS;
    int pos;
    boolean done;

    BatchStream(float[] h, float[] c) {
        this.h = h;
        this.c = c;
    }

    /** A stream starting from the zero state of {@code model}. */
    BatchStream(InferenceModel model) {
        this(new float[model.config().layers() * model.config().hidden()],
                model.config().cell() == dev.ballast.engine.nn.CellType.LSTM
                        ? new float[model.config().layers() * model.config().hidden()] : null);
    }

    int remaining() {
        return input.length - pos;
    }

    /** Sets the tokens to read next (at least one). */
    void feed(int[] tokens) {
        input = tokens;
        pos = 0;
    }

    /**
     * Called once when the scheduler admits the stream, before its first step: a stream that can act
     * without reading anything first (a session with its next-token row at hand) does so here.
     */
    void begin() {
    }

    /**
     * The stream read {@code input[from, from + steps)}; the log-probabilities after {@code input[from + t]}
     * are {@code out[(t * batch + b) * vocab, + vocab)}. {@link #pos} has already moved past them. May
     * overwrite its own rows.
     */
    abstract void fed(int from, int steps, float[] out, int batch, int b, int vocab);
}
