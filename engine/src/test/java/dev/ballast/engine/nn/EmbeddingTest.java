package dev.ballast.engine.nn;

import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddingTest {

    @Test
    void looksUpRows() {
        Embedding emb = new Embedding(3, 2);
        System.arraycopy(new float[]{0, 1, 10, 11, 20, 21}, 0, emb.weight().value(), 0, 6);
        float[] out = new float[6];
        emb.forward(new int[]{2, 0, 2}, 3, out);
        assertArrayEquals(new float[]{20, 21, 0, 1, 20, 21}, out);
    }

    @Test
    void rejectsTokenOutsideVocabulary() {
        Embedding emb = new Embedding(3, 2);
        assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[]{0, 3}, 2, new float[4]));
    }

    @Test
    void gradientMatchesFiniteDifferencesWithRepeatedTokens() {
        Rng rng = new Rng(3);
        int v = 7, e = 4, n = 6;
        Embedding emb = new Embedding(v, e);
        System.arraycopy(GradCheck.uniform(v * e, 1f, rng), 0, emb.weight().value(), 0, v * e);
        int[] tokens = {1, 5, 1, 0, 6, 1}; // token 1 three times: its row must accumulate
        float[] r = GradCheck.uniform(n * e, 1f, rng);
        float[] out = new float[n * e];
        emb.forward(tokens, n, out);
        emb.backward(tokens, n, r);
        GradCheck.check("embedding", emb.weight().value(), emb.weight().grad().clone(), () -> {
            emb.forward(tokens, n, out);
            return GradCheck.dot(out, 0, r);
        });
    }
}
