package dev.ballast.lm.generate;

import dev.ballast.tokenizer.Tokenizer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one generation loop, behind training-time samples ({@code TextGenerator}) and the inference
 * module's generator (Ballast's engine and ONNX Runtime alike): the prompt is fed once to set the
 * state, then each token is sampled, decoded and fed back, until {@code maxTokens} tokens or a stop
 * string. The unknown-symbol id is never sampled: it is a placeholder for what the vocabulary lacks,
 * not a prediction.
 *
 * <pre>{@code
 * GenerationLoop loop = new GenerationLoop(tokenizer, new Sampler(SamplingOptions.DEFAULT, new Rng(1)), List.of("\n\n"));
 * GenerationLoop.Result r = loop.run(new LanguageModelPredictor(network), "ROMEO:", 200, System.out::print);
 * }</pre>
 */
public final class GenerationLoop {

    /**
     * @param text    the continuation, without the prompt and without the stop string
     * @param tokens  how many tokens were sampled (the one that completed a stop string included)
     * @param stopped whether a stop string ended the text before {@code maxTokens}
     */
    public record Result(String text, int tokens, boolean stopped) {
    }

    private final Tokenizer tokenizer;
    private final Sampler sampler;
    private final List<String> stop;
    // The sink lags this many chars behind the text, so that it never receives part of a stop string.
    private final int holdBack;

    /**
     * @param sampler draws each token; it carries the random state, so one loop per generating thread
     * @param stop    strings that end the text where they first appear (none may be empty)
     */
    public GenerationLoop(Tokenizer tokenizer, Sampler sampler, List<String> stop) {
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        this.tokenizer = tokenizer;
        this.sampler = sampler;
        this.stop = List.copyOf(stop);
        this.holdBack = this.stop.stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    /**
     * Continues {@code prompt} on a fresh {@code model} (its state is the prompt's start).
     *
     * @param prompt text to continue; may be empty (generation then starts from the tokenizer's
     *               {@link Tokenizer#startOfText() start of text})
     * @param sink   receives the text as it is produced, in non-empty pieces that join to the result's
     *               text (may be null); with stop strings it lags by up to the longest one's length minus 1
     */
    public Result run(TokenPredictor model, String prompt, int maxTokens, Consumer<String> sink) {
        Run run = start(prompt, maxTokens, sink);
        float[] scores = model.feed(run.promptIds()); // (V)
        int[] token = new int[1];
        while (run.next(scores, 0, scores.length)) {
            token[0] = run.lastToken();
            scores = model.feed(token);
        }
        return run.result();
    }

    /**
     * The same loop one token at a time, for a caller that runs the model itself (e.g. many streams in one
     * batch): feed {@link Run#promptIds()}, then hand each row of scores to {@link Run#next} and feed
     * {@link Run#lastToken()} for as long as it returns true. Gives exactly what {@link #run} gives for the
     * same scores. The run uses this loop's sampler: one run at a time per loop.
     */
    public Run start(String prompt, int maxTokens, Consumer<String> sink) {
        int[] promptIds = promptIds(tokenizer, prompt);
        return new Run(promptIds, decoderAfter(tokenizer, promptIds), maxTokens, sink);
    }

    /**
     * A run that continues a stream the caller has already fed ({@code context}: its last ids, so that the
     * first token is spaced right); its first {@link Run#next} gets the scores after the context.
     */
    public Run resume(int[] context, int maxTokens, Consumer<String> sink) {
        return new Run(new int[0], decoderAfter(tokenizer, context), maxTokens, sink);
    }

    /** One generation in progress; see {@link #start}. */
    public final class Run {
        private final int[] promptIds;
        private final Tokenizer.StreamDecoder decoder;
        private final int maxTokens;
        private final Consumer<String> sink;
        private final StringBuilder out = new StringBuilder();
        private int emitted;
        private int produced;
        private int lastToken = -1;
        private boolean stopped;
        private boolean finished;

        private Run(int[] promptIds, Tokenizer.StreamDecoder decoder, int maxTokens, Consumer<String> sink) {
            if (maxTokens < 0) {
                throw new IllegalArgumentException("maxTokens must be at least 0, got " + maxTokens);
            }
            this.promptIds = promptIds;
            this.decoder = decoder;
            this.maxTokens = maxTokens;
            this.sink = sink;
            if (maxTokens == 0) {
                finish();
            }
        }

        /** The ids to feed before the first {@link #next}: the prompt's, or its start of text when it is empty. */
        public int[] promptIds() {
            return promptIds;
        }

        /**
         * Samples the next token from {@code scores[off, off + vocab)} (the row after the last id fed; the unknown
         * id's entry is overwritten with -infinity) and decodes it.
         *
         * @return true when the caller should feed {@link #lastToken()} and call again; false when the text is
         *         complete (maximum length or a stop string), also when it was complete before this call
         */
        public boolean next(float[] scores, int off, int vocab) {
            if (finished) {
                return false;
            }
            int unknown = tokenizer.unknownId();
            if (unknown >= 0) {
                scores[off + unknown] = Float.NEGATIVE_INFINITY;
            }
            lastToken = sampler.sample(scores, off, vocab);
            produced++;
            int before = out.length();
            out.append(decoder.next(lastToken));
            int stopAt = findStop(out, before);
            if (stopAt >= 0) {
                out.setLength(stopAt);
                stopped = true;
                finish();
                return false;
            }
            if (sink != null && out.length() - holdBack > emitted) {
                sink.accept(out.substring(emitted, out.length() - holdBack));
                emitted = out.length() - holdBack;
            }
            if (produced >= maxTokens) { // the last token's successor is never needed
                finish();
                return false;
            }
            return true;
        }

        private void finish() {
            finished = true;
            if (sink != null && out.length() > emitted) {
                sink.accept(out.substring(emitted));
                emitted = out.length();
            }
        }

        /** The token the last {@link #next} sampled, -1 before the first. */
        public int lastToken() {
            return lastToken;
        }

        /** Tokens sampled so far. */
        public int produced() {
            return produced;
        }

        public boolean finished() {
            return finished;
        }

        /** The result so far (final once {@link #next} has returned false). */
        public Result result() {
            return new Result(out.toString(), produced, stopped);
        }
    }

    /** The earliest start of a stop string that ends at or after {@code newFrom}, or -1. */
    private int findStop(StringBuilder out, int newFrom) {
        int best = -1;
        for (String s : stop) {
            int from = Math.max(0, newFrom - s.length() + 1);
            int at = out.indexOf(s, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** The prompt's ids, or the tokenizer's start of text when the prompt is empty. */
    public static int[] promptIds(Tokenizer tokenizer, String prompt) {
        int[] ids = tokenizer.encode(prompt);
        return ids.length > 0 ? ids : tokenizer.startOfText();
    }

    /** A stream decoder that has seen the prompt, so the first generated token is spaced right. */
    public static Tokenizer.StreamDecoder decoderAfter(Tokenizer tokenizer, int[] promptIds) {
        Tokenizer.StreamDecoder decoder = tokenizer.streamDecoder();
        for (int id : promptIds) {
            decoder.next(id);
        }
        return decoder;
    }
}
