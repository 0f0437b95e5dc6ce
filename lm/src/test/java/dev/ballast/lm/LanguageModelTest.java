package dev.ballast.lm;

import dev.ballast.engine.nn.RecurrentState;

import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Initialization;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LanguageModelTest {

    private static final int V = 7, E = 4, H = 6;

    private static LanguageModel model(CellType cell, int layers, float dropout, long seed) {
        LanguageModel m = new LanguageModel(new ModelConfig(cell, V, E, H, layers, dropout), KernelProvider.scalar());
        m.initialize(new Rng(seed));
        return m;
    }

    private static int[] tokens(int n, int v, Rng rng) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(v);
        }
        return t;
    }

    @Test
    void parametersAreNamedShapedAndOrdered() {
        LanguageModel m = model(CellType.LSTM, 2, 0f, 1);
        List<Parameter> ps = m.parameters();
        List<String> names = ps.stream().map(Parameter::name).toList();
        assertEquals(List.of("embedding.weight",
                "layers.0.w_input", "layers.0.w_recurrent", "layers.0.bias",
                "layers.1.w_input", "layers.1.w_recurrent", "layers.1.bias",
                "output.weight", "output.bias"), names);
        assertArrayEquals(new int[]{V, E}, ps.get(0).shape());
        assertArrayEquals(new int[]{E, 4 * H}, ps.get(1).shape());
        assertArrayEquals(new int[]{H, 4 * H}, ps.get(2).shape());
        assertArrayEquals(new int[]{4 * H}, ps.get(3).shape());
        assertArrayEquals(new int[]{H, 4 * H}, ps.get(4).shape());
        assertArrayEquals(new int[]{H, V}, ps.get(7).shape());
        assertEquals(Parameter.Kind.EMBEDDING, ps.get(0).kind());
        assertEquals(Parameter.Kind.OUTPUT_WEIGHT, ps.get(7).kind());
        assertEquals(Parameter.Kind.BIAS, ps.get(8).kind());
        // 7*4 + (4*24 + 6*24 + 24) + (6*24 + 6*24 + 24) + 6*7 + 7
        assertEquals(28 + 264 + 312 + 42 + 7, m.parameterCount());
        assertEquals(2, m.layers().size());
    }

    @Test
    void initializationGivesOrthogonalGateBlocksAndForgetBiasOne() {
        LanguageModel m = model(CellType.LSTM, 1, 0f, 2);
        m.initialize(new Rng(2), new Initialization(dev.ballast.engine.nn.InitScheme.ORTHOGONAL, 1.0, 1f));
        RecurrentLayer layer = m.layers().get(0);
        float[] w = layer.wRecurrent().value();
        int ld = 4 * H;
        for (int g = 0; g < 4; g++) {
            for (int a = 0; a < H; a++) {
                for (int b = 0; b < H; b++) {
                    double dot = 0; // (W_g^T W_g)[a][b]
                    for (int r = 0; r < H; r++) {
                        dot += (double) w[r * ld + g * H + a] * w[r * ld + g * H + b];
                    }
                    assertEquals(a == b ? 1.0 : 0.0, dot, 1e-5, "gate block " + g);
                }
            }
        }
        float[] bias = layer.bias().value();
        for (int j = 0; j < 4 * H; j++) {
            assertEquals(j >= H && j < 2 * H ? 1f : 0f, bias[j], "bias " + j);
        }
        float k = (float) (1 / Math.sqrt(H));
        for (float v : layer.wInput().value()) {
            assertEquals(0f, v, k);
        }
    }

    @Test
    void initialLossIsNearLogV() {
        // With the PyTorch-like init the logits are small, so the first loss is close to that of a uniform guess.
        int v = 65, steps = 16, batch = 4;
        for (CellType cell : CellType.values()) {
            LanguageModel m = new LanguageModel(new ModelConfig(cell, v, 64, 256, 2, 0f), KernelProvider.scalar());
            m.initialize(new Rng(3));
            Rng rng = new Rng(4);
            RecurrentState state = m.config().newState(batch);
            for (int w = 0; w < 3; w++) {
                int[] x = tokens(steps * batch, v, rng);
                int[] y = tokens(steps * batch, v, rng);
                float loss = m.forward(x, y, steps, batch, state, true, null);
                assertEquals(Math.log(v), loss, 0.1, cell.id() + " window " + w);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void carriesStateAcrossWindows(CellType cell) {
        int steps = 4, batch = 3, n = steps * batch;
        LanguageModel m = model(cell, 2, 0f, 5);
        Rng rng = new Rng(6);
        int[] x = tokens(2 * n, V, rng);
        int[] y = tokens(2 * n, V, rng);

        RecurrentState whole = m.config().newState(batch);
        float mean = m.forward(x, y, 2 * steps, batch, whole, true, null);

        RecurrentState split = m.config().newState(batch);
        float first = m.forward(Arrays.copyOf(x, n), Arrays.copyOf(y, n), steps, batch, split, true, null);
        float second = m.forward(Arrays.copyOfRange(x, n, 2 * n), Arrays.copyOfRange(y, n, 2 * n), steps, batch, split, true, null);

        assertEquals(mean, (first + second) / 2, 1e-5);
        assertStatesEqual(whole, split, 1e-5f);

        RecurrentState evalSplit = m.config().newState(batch);
        double sum = m.lossSum(Arrays.copyOf(x, n), Arrays.copyOf(y, n), steps, batch, evalSplit)
                + m.lossSum(Arrays.copyOfRange(x, n, 2 * n), Arrays.copyOfRange(y, n, 2 * n), steps, batch, evalSplit);
        assertEquals(mean * 2 * n, sum, 1e-4);
        assertStatesEqual(whole, evalSplit, 1e-5f);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void streamsDoNotInfluenceEachOther(CellType cell) {
        int steps = 5, batch = 3;
        LanguageModel m = model(cell, 2, 0f, 7);
        Rng rng = new Rng(8);
        int[] x = tokens(steps * batch, V, rng);
        float[] logits = new float[steps * batch * V];
        m.logits(x, steps, batch, m.config().newState(batch), logits);

        int[] changed = x.clone();
        for (int t = 0; t < steps; t++) {
            changed[t * batch + 1] = (x[t * batch + 1] + 1) % V; // every token of stream 1
        }
        float[] other = new float[logits.length];
        m.logits(changed, steps, batch, m.config().newState(batch), other);

        for (int b = 0; b < batch; b += 2) { // streams 0 and 2 are untouched
            int[] alone = new int[steps];
            for (int t = 0; t < steps; t++) {
                alone[t] = x[t * batch + b];
            }
            float[] single = new float[steps * V];
            m.logits(alone, steps, 1, m.config().newState(1), single);
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < V; j++) {
                    int row = (t * batch + b) * V + j;
                    assertEquals(logits[row], other[row], 1e-6f);
                    assertEquals(logits[row], single[t * V + j], 1e-5f);
                }
            }
        }
        assertNotEquals(logits[V + 0], other[V + 0]); // stream 1 itself did change (row t=0, b=1)
    }

    @Test
    void logitsAgreeWithForwardLoss() {
        int steps = 5, batch = 3, n = steps * batch;
        LanguageModel m = model(CellType.LSTM, 2, 0.3f, 9);
        Rng rng = new Rng(10);
        int[] x = tokens(n, V, rng);
        int[] y = tokens(n, V, rng);
        RecurrentState start = LanguageModelGradientTest.randomState(m.config(), batch, rng);
        float[] logits = new float[n * V];
        RecurrentState s1 = start.copy();
        m.logits(x, steps, batch, s1, logits);
        double byHand = 0;
        for (int r = 0; r < n; r++) {
            double z = 0;
            for (int j = 0; j < V; j++) {
                z += Math.exp(logits[r * V + j]);
            }
            byHand += Math.log(z) - logits[r * V + y[r]];
        }
        RecurrentState s2 = start.copy();
        float mean = m.forward(x, y, steps, batch, s2, false, null);
        assertEquals(byHand / n, mean, 1e-5);
        assertEquals(byHand, m.lossSum(x, y, steps, batch, start.copy()), 1e-5);
        assertStatesEqual(s1, s2, 0f);
    }

    @Test
    void trainingDropoutIsDeterministicGivenTheSeedAndOffInEvaluation() {
        int steps = 5, batch = 3, n = steps * batch;
        LanguageModel m = model(CellType.RNN_TANH, 2, 0.5f, 11);
        LanguageModel plain = model(CellType.RNN_TANH, 2, 0f, 11); // same init, no dropout
        Rng rng = new Rng(12);
        int[] x = tokens(n, V, rng);
        int[] y = tokens(n, V, rng);
        float a = m.forward(x, y, steps, batch, m.config().newState(batch), true, new Rng(13));
        float b = m.forward(x, y, steps, batch, m.config().newState(batch), true, new Rng(13));
        float c = m.forward(x, y, steps, batch, m.config().newState(batch), true, new Rng(14));
        assertEquals(a, b);
        assertNotEquals(a, c);
        float eval = m.forward(x, y, steps, batch, m.config().newState(batch), false, null);
        float noDropout = plain.forward(x, y, steps, batch, plain.config().newState(batch), false, null);
        assertEquals(noDropout, eval);
        assertNotEquals(eval, a);
    }

    @Test
    void backwardAccumulatesAndZeroGradClears() {
        int steps = 3, batch = 2;
        LanguageModel m = model(CellType.LSTM, 1, 0f, 15);
        Rng rng = new Rng(16);
        int[] x = tokens(steps * batch, V, rng);
        int[] y = tokens(steps * batch, V, rng);
        m.zeroGrad();
        m.forward(x, y, steps, batch, m.config().newState(batch), true, null);
        m.backward();
        float[] once = m.parameters().get(2).grad().clone();
        m.forward(x, y, steps, batch, m.config().newState(batch), true, null);
        m.backward();
        float[] twice = m.parameters().get(2).grad();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-6f + 1e-5f * Math.abs(once[i]));
        }
        m.zeroGrad();
        for (Parameter p : m.parameters()) {
            for (float g : p.grad()) {
                assertEquals(0f, g);
            }
        }
    }

    @Test
    void backwardNeedsATrainingForward() {
        LanguageModel m = model(CellType.LSTM, 1, 0f, 17);
        assertThrows(IllegalStateException.class, m::backward);
        int[] x = {1, 2};
        m.forward(x, x, 1, 2, m.config().newState(2), false, null);
        assertThrows(IllegalStateException.class, m::backward);
    }

    @Test
    void smallerWindowsReuseBuffersAndGiveTheSameResults() {
        // After a large window, a small one must not read stale rows of the (larger) buffers.
        LanguageModel m = model(CellType.LSTM, 2, 0f, 18);
        LanguageModel fresh = model(CellType.LSTM, 2, 0f, 18);
        Rng rng = new Rng(19);
        int[] bigX = tokens(40, V, rng);
        m.forward(bigX, bigX, 10, 4, m.config().newState(4), true, null);
        m.backward();
        int[] x = tokens(6, V, rng);
        int[] y = tokens(6, V, rng);
        m.zeroGrad();
        fresh.zeroGrad();
        assertEquals(fresh.forward(x, y, 3, 2, fresh.config().newState(2), true, null),
                m.forward(x, y, 3, 2, m.config().newState(2), true, null));
        m.backward();
        fresh.backward();
        for (int p = 0; p < m.parameters().size(); p++) {
            assertArrayEquals(fresh.parameters().get(p).grad(), m.parameters().get(p).grad(), m.parameters().get(p).name());
        }
    }

    @Test
    void rejectsStateOfTheWrongBatch() {
        LanguageModel m = model(CellType.LSTM, 1, 0f, 20);
        int[] x = {1, 2, 3};
        assertThrows(IllegalArgumentException.class,
                () -> m.forward(x, x, 1, 3, m.config().newState(2), false, null));
    }

    private static void assertStatesEqual(RecurrentState a, RecurrentState b, float tol) {
        for (int l = 0; l < a.layers(); l++) {
            assertArrayEquals(a.h(l), b.h(l), tol, "h of layer " + l);
            if (a.c(l) != null) {
                assertArrayEquals(a.c(l), b.c(l), tol, "c of layer " + l);
            }
        }
    }
}
