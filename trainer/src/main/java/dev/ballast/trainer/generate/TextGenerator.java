package dev.ballast.trainer.generate;

import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.trainer.nn.LanguageModel;
import dev.ballast.trainer.nn.RecurrentState;
import java.util.function.Consumer;

/**
 * Generates text one token at a time: the prime text is fed through the network to set its state,
 * then each sampled token is fed back in. Batch 1, state carried between steps.
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
        int vocab = model.config().vocabSize();
        int[] primeIds = promptIds(tokenizer, prime);
        Tokenizer.StreamDecoder decoder = decoderAfter(tokenizer, primeIds);
        RecurrentState state = new RecurrentState(model.config(), 1);
        float[] logits = new float[primeIds.length * vocab];
        model.logits(primeIds, primeIds.length, 1, state, logits);
        int lastRow = (primeIds.length - 1) * vocab;
        StringBuilder out = new StringBuilder();
        int[] token = new int[1];
        float[] step = new float[vocab];
        float[] row = logits;
        int rowOff = lastRow;
        int unknown = tokenizer.unknownId();
        for (int i = 0; i < length; i++) {
            if (unknown >= 0) {
                row[rowOff + unknown] = Float.NEGATIVE_INFINITY; // <unk> is a placeholder, never a prediction
            }
            token[0] = sampler.sample(row, rowOff, vocab);
            String piece = decoder.next(token[0]);
            out.append(piece);
            if (sink != null) {
                sink.accept(piece);
            }
            if (i + 1 < length) {
                model.logits(token, 1, 1, state, step);
                row = step;
                rowOff = 0;
            }
        }
        return out.toString();
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
