package dev.ballast.lm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.engine.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationLoopTest {

    // Vocabulary: <unk>=0, '\n'=1, ' '=2, a=3, b=4, c=5.
    private final CharTokenizer tokenizer = CharTokenizer.fit("abc \n", UnknownPolicy.REPLACE);

    /** Predicts the token after the last one fed in the cycle a b c ' ' a ..., with <unk> far ahead; records what it was fed. */
    private static final class Cycle implements TokenPredictor {
        final List<int[]> fed = new ArrayList<>();

        @Override
        public float[] feed(int[] tokens) {
            fed.add(tokens.clone());
            int last = tokens[tokens.length - 1];
            int next = last == 5 ? 2 : last == 2 || last == 1 ? 3 : last + 1;
            float[] scores = new float[6];
            scores[0] = 100f; // <unk>: must be masked, not chosen
            scores[next] = 10f;
            return scores;
        }
    }

    private GenerationLoop greedy(List<String> stop) {
        return new GenerationLoop(tokenizer, new Sampler(SamplingOptions.GREEDY, new Rng(1)), stop);
    }

    @Test
    void feedsThePromptOnceThenEachSampledTokenButTheLast() {
        Cycle model = new Cycle();
        GenerationLoop.Result r = greedy(List.of()).run(model, "ab", 5, null);
        assertEquals(new GenerationLoop.Result("c abc", 5, false), r);
        assertEquals(5, model.fed.size());
        assertArrayEquals(tokenizer.encode("ab"), model.fed.get(0));
        assertArrayEquals(tokenizer.encode("c"), model.fed.get(1));
        assertArrayEquals(tokenizer.encode("b"), model.fed.get(4));
    }

    @Test
    void emptyPromptStartsAfterALineBreak() {
        Cycle model = new Cycle();
        assertEquals("abc", greedy(List.of()).run(model, "", 3, null).text());
        assertArrayEquals(new int[] {1}, model.fed.get(0));
    }

    @Test
    void neverSamplesTheUnknownPlaceholderEvenWhenItScoresHighest() {
        String text = new GenerationLoop(tokenizer, new Sampler(SamplingOptions.DEFAULT, new Rng(3)), List.of())
                .run(new Cycle(), "a", 50, null).text();
        assertEquals(50, text.length());
        assertFalse(text.contains("\uFFFD"), text);
    }

    @Test
    void stopStringEndsTheTextAndTheSinkNeverSeesAnyOfIt() {
        List<String> pieces = new ArrayList<>();
        GenerationLoop.Result r = greedy(List.of("a", "c a")).run(new Cycle(), "a", 20, pieces::add);
        // b c ' ' a: "c a" starts at 1 and ends with the 4th token, where "a" also appears (later start).
        assertEquals(new GenerationLoop.Result("b", 4, true), r);
        assertEquals("b", String.join("", pieces));
        for (String p : pieces) {
            assertFalse(p.isEmpty());
        }
    }

    @Test
    void withoutStopStringsEachPieceIsSentAsSoonAsItIsDecoded() {
        List<String> pieces = new ArrayList<>();
        GenerationLoop.Result r = greedy(List.of()).run(new Cycle(), "a", 6, pieces::add);
        assertEquals(List.of("b", "c", " ", "a", "b", "c"), pieces);
        assertFalse(r.stopped());
    }

    @Test
    void zeroTokensFeedsOnlyThePrompt() {
        Cycle model = new Cycle();
        assertEquals(new GenerationLoop.Result("", 0, false), greedy(List.of("a")).run(model, "ab", 0, null));
        assertEquals(1, model.fed.size());
    }

    @Test
    void rejectsEmptyStopStringsAndNegativeLengths() {
        assertThrows(IllegalArgumentException.class, () -> greedy(List.of("")));
        assertThrows(IllegalArgumentException.class, () -> greedy(List.of()).run(new Cycle(), "a", -1, null));
        assertEquals(8, greedy(List.of("zz")).run(new Cycle(), "a", 8, null).text().length());
    }
}
