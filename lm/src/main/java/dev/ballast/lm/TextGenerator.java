package dev.ballast.lm;

import dev.ballast.lm.generate.Sampler;
import dev.ballast.lm.generate.GenerationLoop;

import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.lm.LanguageModel;
import java.util.List;
import java.util.function.Consumer;

/**
 * Samples text from a network being trained, as the trainer's progress samples do: the
 * {@link GenerationLoop} on a {@link LanguageModelPredictor}, without stop strings.
 */
public final class TextGenerator {

    private final LanguageModel model;
    private final Tokenizer tokenizer;

    public TextGenerator(LanguageModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * @param prime  text to continue; may be empty (generation then starts after a line break, or
     *               after the first vocabulary symbol when the vocabulary has no line break)
     * @param length how many tokens to generate
     * @param sink   receives each generated piece of text as soon as it exists (may be null)
     * @return the generated text, without the prime
     */
    public String generate(String prime, int length, Sampler sampler, Consumer<String> sink) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be at least 0, got " + length);
        }
        return new GenerationLoop(tokenizer, sampler, List.of())
                .run(new LanguageModelPredictor(model), prime, length, sink).text();
    }
}
