package dev.ballast.lm;

import dev.ballast.lm.generate.TokenPredictor;

import dev.ballast.lm.LanguageModel;
import dev.ballast.engine.nn.RecurrentState;
import java.util.Arrays;

/**
 * A {@link LanguageModel} reading one stream (batch 1), its recurrent state carried from call to
 * call; the scores are logits. Not thread-safe, and the model must not run anything else meanwhile:
 * it keeps its activations in its own buffers. The weights must not change during its life either:
 * it caches layer 0's input projection per token ({@link LanguageModel.InputCache}).
 */
public final class LanguageModelPredictor implements TokenPredictor {

    private final LanguageModel model;
    private final RecurrentState state;
    private final float[] step; // (V), reused for one-token feeds
    private final LanguageModel.InputCache cache; // null for large vocabularies

    public LanguageModelPredictor(LanguageModel model) {
        this.model = model;
        this.state = model.config().newState(1);
        this.step = new float[model.config().vocabSize()];
        this.cache = model.newInputCache();
    }

    @Override
    public float[] feed(int[] tokens) {
        if (tokens.length == 1) {
            model.logits(tokens, 1, 1, state, step, cache);
            return step;
        }
        int vocab = step.length;
        float[] rows = new float[tokens.length * vocab]; // (T, V); a prompt is fed once, so no reuse
        model.logits(tokens, tokens.length, 1, state, rows, cache);
        return Arrays.copyOfRange(rows, rows.length - vocab, rows.length);
    }
}
