package dev.ballast.inference;

import dev.ballast.engine.Rng;
import dev.ballast.lm.generate.GenerationLoop;
import dev.ballast.lm.generate.Sampler;
import dev.ballast.lm.generate.TokenPredictor;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Samples text from an {@link InferenceModel} with the trainer's {@link GenerationLoop}, so a served
 * model and a training-time sample continue a prompt the same way, whichever back-end runs the model.
 * The loop samples from log-probabilities here; they differ from logits by a constant per row, so the
 * trainer's {@link Sampler} (softmax at a temperature, top-k, top-p) applies unchanged.
 */
public final class Generator {

    private Generator() {
    }

    /**
     * @param sink receives the text as it is produced (may be null); with stop strings it lags by up to
     *             the longest stop string's length so that it never receives part of a stop string
     */
    public static Generation generate(InferenceModel model, GenerationRequest request, Consumer<String> sink) {
        Sampler sampler = new Sampler(request.sampling(), new Rng(request.seed()));
        GenerationLoop.Result r = new GenerationLoop(model.tokenizer(), sampler, request.stop())
                .run(lastRows(model.newSession(), model.config().vocabSize()), request.prompt(), request.maxTokens(), sink);
        return new Generation(r.text(), r.tokens(), r.stopped() ? "stop" : "length", request.seed());
    }

    // session.feed: (T) -> (T, V); the loop needs only the row after the last token
    private static TokenPredictor lastRows(InferenceSession session, int vocab) {
        return tokens -> {
            float[] rows = session.feed(tokens);
            return rows.length == vocab ? rows : Arrays.copyOfRange(rows, rows.length - vocab, rows.length);
        };
    }
}
