package dev.ballast.lm.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.engine.InputException;
import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {0f, 2f, 1f, -1f, 3f};

    @Test
    void greedyTakesTheArgmax() {
        assertEquals(4, new Sampler(SamplingOptions.GREEDY, new Rng(1)).sample(LOGITS, 0, 5));
        assertEquals(1, new Sampler(SamplingOptions.GREEDY, new Rng(1)).sample(LOGITS, 0, 2));
    }

    @Test
    void topKOneIsGreedy() {
        Sampler s = new Sampler(new SamplingOptions(1.0, 1, 1.0), new Rng(3));
        for (int i = 0; i < 50; i++) {
            assertEquals(4, s.sample(LOGITS, 0, 5));
        }
    }

    @Test
    void topKNeverLeavesTheTopSet() {
        Sampler s = new Sampler(new SamplingOptions(1.0, 2, 1.0), new Rng(5));
        for (int i = 0; i < 200; i++) {
            int t = s.sample(LOGITS, 0, 5);
            assertTrue(t == 4 || t == 1, "sampled " + t);
        }
    }

    @Test
    void topPKeepsTheNucleus() {
        // softmax(LOGITS): p4 ≈ 0.636, p1 ≈ 0.234, p2 ≈ 0.086: p = 0.8 keeps tokens 4 and 1 only.
        Sampler s = new Sampler(new SamplingOptions(1.0, 0, 0.8), new Rng(9));
        for (int i = 0; i < 200; i++) {
            int t = s.sample(LOGITS, 0, 5);
            assertTrue(t == 4 || t == 1, "sampled " + t);
        }
    }

    @Test
    void frequenciesFollowTheSoftmax() {
        Sampler s = new Sampler(SamplingOptions.DEFAULT, new Rng(11));
        int n = 20000;
        int[] counts = new int[5];
        for (int i = 0; i < n; i++) {
            counts[s.sample(LOGITS, 0, 5)]++;
        }
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int i = 0; i < 5; i++) {
            double p = Math.exp(LOGITS[i]) / z;
            double sd = Math.sqrt(p * (1 - p) / n);
            assertEquals(p, counts[i] / (double) n, 5 * sd + 1e-3, "token " + i);
        }
    }

    @Test
    void sameSeedSameSequence() {
        Sampler a = new Sampler(SamplingOptions.DEFAULT, new Rng(21));
        Sampler b = new Sampler(SamplingOptions.DEFAULT, new Rng(21));
        for (int i = 0; i < 100; i++) {
            assertEquals(a.sample(LOGITS, 0, 5), b.sample(LOGITS, 0, 5));
        }
    }

    @Test
    void rejectsBadOptions() {
        assertThrows(InputException.class, () -> new SamplingOptions(-1, 0, 1));
        assertThrows(InputException.class, () -> new SamplingOptions(1, -2, 1));
        assertThrows(InputException.class, () -> new SamplingOptions(1, 0, 0));
        assertThrows(InputException.class, () -> new SamplingOptions(1, 0, 1.5));
    }
}
