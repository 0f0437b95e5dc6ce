package dev.ballast.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;

/** Seeded, untrained models over a small character vocabulary: enough to check an export. */
final class TinyModels {

    static final String TEXT = "To be, or not to be, that is the question.\nWhether 'tis nobler in the mind to suffer\n";

    private TinyModels() {
    }

    static TrainedModel create(CellType cell, int layers, long seed) {
        return create(cell, layers, seed, false);
    }

    /** With {@code tied}, the embedding (10 wide, like the hidden state) doubles as the output projection. */
    static TrainedModel create(CellType cell, int layers, long seed, boolean tied) {
        return create(cell, layers, seed, tied, false);
    }

    /** With {@code residual}, layers from 1 up add their input to their output. */
    static TrainedModel create(CellType cell, int layers, long seed, boolean tied, boolean residual) {
        CharTokenizer tokenizer = CharTokenizer.fit(TEXT, UnknownPolicy.REPLACE);
        ModelConfig cfg = new ModelConfig(cell, tokenizer.vocabulary().size(), tied ? 10 : 6, 10, layers, 0f, tied,
                residual);
        LanguageModel net = new LanguageModel(cfg, KernelProvider.scalar());
        net.initialize(new Rng(seed));
        // Non-zero recurrent-side biases everywhere, so a wrong gate order cannot hide behind symmetric zeros.
        Rng r = new Rng(seed + 1);
        for (var layer : net.layers()) {
            float[] b = layer.bias().value();
            for (int i = 0; i < b.length; i++) {
                b[i] += (float) (0.5 * r.nextGaussian());
            }
        }
        return new TrainedModel(net, tokenizer, null, null, JsonNodeFactory.instance.objectNode());
    }
}
