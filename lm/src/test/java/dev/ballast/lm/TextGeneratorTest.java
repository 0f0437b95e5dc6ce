package dev.ballast.lm;

import dev.ballast.lm.generate.SamplingOptions;
import dev.ballast.lm.generate.Sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextGeneratorTest {

    private final CharTokenizer tokenizer = CharTokenizer.fit("abc de\n", UnknownPolicy.REPLACE);

    private LanguageModel model() {
        LanguageModel m = new LanguageModel(new ModelConfig(CellType.LSTM, tokenizer.vocabulary().size(), 4, 8, 1, 0f),
                KernelProvider.scalar());
        m.initialize(new Rng(1));
        // Make <unk> (id 0) by far the most likely output, so a generator that did not mask it would emit it.
        m.parameters().get(m.parameters().size() - 1).value()[0] = 50f;
        return m;
    }

    @Test
    void neverEmitsTheUnknownPlaceholder() {
        String text = new TextGenerator(model(), tokenizer).generate("ab", 200, new Sampler(SamplingOptions.DEFAULT, new Rng(4)), null);
        assertEquals(200, text.length());
        assertFalse(text.contains("\uFFFD"), text);
    }

    @Test
    void streamsEachPieceAndIsReproducible() {
        List<String> pieces = new ArrayList<>();
        String a = new TextGenerator(model(), tokenizer).generate("", 30, new Sampler(SamplingOptions.DEFAULT, new Rng(9)), pieces::add);
        String b = new TextGenerator(model(), tokenizer).generate("", 30, new Sampler(SamplingOptions.DEFAULT, new Rng(9)), null);
        assertEquals(30, pieces.size());
        assertEquals(a, String.join("", pieces));
        assertEquals(a, b);
    }
}
