package dev.ballast.inference;

import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.trainer.Rng;
import dev.ballast.trainer.generate.Sampler;
import dev.ballast.trainer.generate.TextGenerator;

import java.util.function.Consumer;

/**
 * Samples text from an {@link InferenceModel}: the prompt is fed in one window to set the state, then
 * each sampled token is fed back one step at a time. Log-probabilities differ from logits by a constant
 * per row, so the trainer's {@link Sampler} (softmax at a temperature, top-k, top-p) applies unchanged.
 */
public final class Generator {

    private Generator() {
    }

    /**
     * @param sink receives the text as it is produced (may be null); with stop strings it lags by up to
     *             the longest stop string's length so that it never receives part of a stop string
     */
    public static Generation generate(InferenceModel model, GenerationRequest request, Consumer<String> sink) {
        Tokenizer tokenizer = model.tokenizer();
        int vocab = model.config().vocabSize();
        int[] promptIds = TextGenerator.promptIds(tokenizer, request.prompt());
        Tokenizer.StreamDecoder decoder = TextGenerator.decoderAfter(tokenizer, promptIds);
        InferenceSession session = model.newSession();
        float[] rows = session.feed(promptIds);
        float[] row = rows;
        int rowOff = (promptIds.length - 1) * vocab;
        Sampler sampler = new Sampler(request.sampling(), new Rng(request.seed()));
        int unknown = tokenizer.unknownId();
        int holdBack = request.stop().stream().mapToInt(String::length).max().orElse(1) - 1;
        StringBuilder out = new StringBuilder();
        int emitted = 0;
        int[] token = new int[1];
        int produced = 0;
        String reason = "length";
        while (produced < request.maxTokens()) {
            if (unknown >= 0) {
                row[rowOff + unknown] = Float.NEGATIVE_INFINITY; // <unk> is a placeholder, never a prediction
            }
            token[0] = sampler.sample(row, rowOff, vocab);
            produced++;
            int before = out.length();
            out.append(decoder.next(token[0]));
            int stopAt = findStop(out, before, request);
            if (stopAt >= 0) {
                out.setLength(stopAt);
                reason = "stop";
                break;
            }
            if (sink != null && out.length() - holdBack > emitted) {
                sink.accept(out.substring(emitted, out.length() - holdBack));
                emitted = out.length() - holdBack;
            }
            if (produced < request.maxTokens()) {
                row = session.feed(token);
                rowOff = 0;
            }
        }
        if (sink != null && out.length() > emitted) {
            sink.accept(out.substring(emitted));
        }
        return new Generation(out.toString(), produced, reason, request.seed());
    }

    /** The earliest start of a stop string that ends at or after {@code newFrom}, or -1. */
    private static int findStop(StringBuilder out, int newFrom, GenerationRequest request) {
        int best = -1;
        for (String s : request.stop()) {
            int from = Math.max(0, newFrom - s.length() + 1);
            int at = out.indexOf(s, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }
}
