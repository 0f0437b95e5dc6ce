package dev.ballast.inference;

import dev.ballast.engine.Rng;
import dev.ballast.lm.generate.GenerationLoop;
import dev.ballast.lm.generate.Sampler;
import dev.ballast.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * One sample being generated in a batch: the {@link GenerationLoop}'s run, driven one row at a time by the
 * {@link BatchScheduler}, with its own sampler and seed, so its text is what {@link Generator#generate} gives
 * for the same request. Text produced by a step is handed to {@link Listener#piece} after the step, together
 * with the tokens sampled since the last piece (and their log-probabilities when asked for).
 */
final class GenerateStream extends BatchStream {

    /** Receives a stream's output as it is produced; called on the scheduler thread, must not block. */
    interface Listener {
        void piece(GenerateStream stream, String text, List<TokenLogProb> tokens);
    }

    final int index;
    final long seed;
    private final Tokenizer tokenizer;
    private final GenerationLoop.Run run;
    private final int topLogProbs;      // -1: no log-probabilities; 0: the sampled token's; k: and the k best
    private final List<TokenLogProb> logProbs = new ArrayList<>();
    private final Listener listener;    // null when nobody streams
    private final ServerMetrics metrics;
    private final StringBuilder pending = new StringBuilder();
    private int reported;               // tokens handed to the listener so far
    private float[] row = new float[0];
    private float[] initialRow;         // a resumed session's row after its last token, used by begin()

    /**
     * @param h, c        the starting state (copied by the caller when it must stay unchanged)
     * @param prompt      text to continue from this state, or null to resume ({@code context} then gives the
     *                    ids read last and {@code initialRow} the log-probabilities after them)
     */
    GenerateStream(InferenceModel model, float[] h, float[] c, GenerationRequest request, int index, long seed,
                   int topLogProbs, Listener listener, ServerMetrics metrics, String prompt, int[] context,
                   float[] initialRow) {
        super(h, c);
        this.index = index;
        this.seed = seed;
        this.tokenizer = model.tokenizer();
        this.topLogProbs = topLogProbs;
        this.listener = listener;
        this.metrics = metrics;
        GenerationLoop loop = new GenerationLoop(tokenizer, new Sampler(request.sampling(), new Rng(seed)), request.stop());
        boolean streaming = listener != null;
        this.run = prompt != null ? loop.start(prompt, request.maxTokens(), streaming ? pending::append : null)
                : loop.resume(context, request.maxTokens(), streaming ? pending::append : null);
        this.initialRow = initialRow;
    }

    @Override
    void begin() {
        if (run.finished()) {
            done = true;
        } else if (initialRow != null) {
            float[] r = initialRow;
            initialRow = null;
            sample(r, 0, r.length);
        } else {
            feed(run.promptIds());
        }
    }

    @Override
    void fed(int from, int steps, float[] out, int batch, int b, int vocab) {
        if (input == run.promptIds()) {
            metrics.inputTokens.add(steps);
        }
        if (remaining() > 0) {
            return; // still reading the prompt
        }
        sample(out, ((steps - 1) * batch + b) * vocab, vocab);
    }

    private void sample(float[] out, int off, int vocab) {
        if (row.length != vocab) {
            row = new float[vocab];
        }
        System.arraycopy(out, off, row, 0, vocab);
        TokenLogProb[] top = null;
        if (topLogProbs > 0) {
            top = TokenLogProb.top(tokenizer, row, 0, vocab, topLogProbs).toArray(new TokenLogProb[0]);
        }
        boolean more = run.next(row, 0, vocab);
        int token = run.lastToken();
        metrics.generatedTokens.increment();
        if (topLogProbs >= 0) {
            // Sampling only masked the unknown id, which is never sampled, so row[token] is intact.
            logProbs.add(new TokenLogProb(token, TokenLogProb.piece(tokenizer, token), row[token],
                    top == null ? List.of() : List.of(top)));
        }
        if (more) {
            feed(new int[] {token});
        } else {
            done = true;
        }
        if (listener != null && (pending.length() > 0 || done && reported < run.produced())) {
            String text = pending.toString();
            pending.setLength(0);
            List<TokenLogProb> tokens = topLogProbs >= 0 ? List.copyOf(logProbs.subList(reported, logProbs.size())) : List.of();
            reported = run.produced();
            listener.piece(this, text, tokens);
        }
    }

    GenerationLoop.Result result() {
        return run.result();
    }

    Generation generation() {
        GenerationLoop.Result r = run.result();
        return new Generation(r.text(), r.tokens(), r.stopped() ? "stop" : "length", seed);
    }

    /** The sampled tokens with their log-probabilities (empty unless asked for). */
    List<TokenLogProb> logProbs() {
        return logProbs;
    }
}
