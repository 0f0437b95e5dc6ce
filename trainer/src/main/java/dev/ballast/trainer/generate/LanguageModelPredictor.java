package dev.ballast.trainer.generate;

import dev.ballast.trainer.nn.LanguageModel;
import dev.ballast.trainer.nn.RecurrentState;
import java.util.Arrays;

/**
 * A {@link LanguageModel} reading one stream (batch 1), its recurrent state carried from call to
 * call; the scores are logits. Not thread-safe, and the model must not run anything else meanwhile:
 * it keeps its activations in its own buffers.
 */
public final class LanguageModelPredictor implements TokenPredictor {

    private final LanguageModel model;
    private final RecurrentState state;
    private final float[] step; // (V), reused for one-token feeds

    public LanguageModelPredictor(LanguageModel model) {
        this.model = model;
        this.state = new RecurrentState(model.config(), 1);
        this.step = new float[model.config().vocabSize()];
    }

    @Override
    public float[] feed(int[] tokens) {
        if (tokens.length == 1) {
            model.logits(tokens, 1, 1, state, step);
            return step;
        }
        int vocab = step.length;
        float[] rows = new float[tokens.length * vocab]; // (T, V); a prompt is fed once, so no reuse
        model.logits(tokens, tokens.length, 1, state, rows);
        return Arrays.copyOfRange(rows, rows.length - vocab, rows.length);
    }
}
