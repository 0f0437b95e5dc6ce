package dev.ballast.inference;

import dev.ballast.engine.InputException;

import dev.ballast.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a text under an {@link InferenceModel}. The text is read as the start of a line, as in training:
 * the first token is predicted after the tokenizer's {@link Tokenizer#startId() start token} (a line
 * break: {@code "\n"} for characters, {@code <eos>} for words), fed from the zero state, as generation
 * without a prompt starts. When the vocabulary has no line break, the first token only sets the state
 * and is not scored. Long texts are fed in windows with the state
 * carried, so memory stays bounded.
 */
public final class Scorer {

    static final int WINDOW = 256;

    private Scorer() {
    }

    /** A text's ids, the ids fed to the model ({@code input[i]} predicts {@code ids[i + first]}) and that offset. */
    record Prepared(int[] ids, int[] input, int first) {
        int[] targets() {
            return java.util.Arrays.copyOfRange(ids, first, first + input.length);
        }
    }

    /** @throws dev.ballast.engine.InputException (a user error) when the text encodes to no scorable token */
    static Prepared prepare(Tokenizer tokenizer, String text) {
        int[] ids = tokenizer.encode(text);
        int startId = tokenizer.startId();
        int[] input; // input[i] predicts ids[i + first]
        int first;
        if (startId >= 0) {
            input = new int[ids.length];
            if (ids.length > 0) {
                input[0] = startId;
                System.arraycopy(ids, 0, input, 1, ids.length - 1);
            }
            first = 0;
        } else {
            input = ids.length > 1 ? java.util.Arrays.copyOf(ids, ids.length - 1) : new int[0];
            first = 1;
        }
        if (input.length == 0) {
            throw new InputException("text has no token to score (it is empty"
                    + (first == 1 ? " or a single token)" : ")"));
        }
        return new Prepared(ids, input, first);
    }

    /** @throws IllegalArgumentException (a user error) when the text encodes to no scorable token */
    public static Score score(InferenceModel model, String text) {
        Tokenizer tokenizer = model.tokenizer();
        int vocab = model.config().vocabSize();
        Prepared p = prepare(tokenizer, text);
        int[] ids = p.ids();
        int[] input = p.input();
        int first = p.first();
        InferenceSession session = model.newSession();
        double[] logProbs = new double[input.length];
        List<String> pieces = new ArrayList<>(input.length);
        double total = 0;
        for (int start = 0; start < input.length; start += WINDOW) {
            int len = Math.min(WINDOW, input.length - start);
            float[] rows = session.feed(java.util.Arrays.copyOfRange(input, start, start + len));
            for (int t = 0; t < len; t++) {
                int target = ids[start + t + first];
                double lp = rows[t * vocab + target];
                logProbs[start + t] = lp;
                total += lp;
                pieces.add(tokenizer.decode(ids, start + t + first, 1));
            }
        }
        int[] targets = java.util.Arrays.copyOfRange(ids, first, first + input.length);
        return new Score(List.copyOf(pieces), input, targets, logProbs, total);
    }
}
