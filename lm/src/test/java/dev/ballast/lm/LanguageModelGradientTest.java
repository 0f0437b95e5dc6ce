package dev.ballast.lm;

import dev.ballast.engine.nn.RecurrentState;

import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.GradCheck;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Finite-difference checks of {@link LanguageModel#backward()} end to end, for every cell and 1 to 3
 * layers. The loss checked is the summed cross-entropy ({@link LanguageModel#lossSum}, in double)
 * from a fixed non-zero initial state, so the analytic gradient of the mean is scaled by N = T*B.
 */
class LanguageModelGradientTest {

    private static final int V = 7, E = 4, H = 6, T = 5, B = 3, N = T * B;

    static Stream<Arguments> cellsAndDepths() {
        return Stream.of(CellType.values()).flatMap(c -> Stream.of(1, 2, 3).map(l -> Arguments.of(c, l)));
    }

    @ParameterizedTest(name = "{0}, {1} layers")
    @MethodSource("cellsAndDepths")
    void gradientsMatchFiniteDifferences(CellType cell, int layers) {
        LanguageModel model = new LanguageModel(new ModelConfig(cell, V, E, H, layers, 0f), KernelProvider.scalar());
        model.initialize(new Rng(100 + layers));
        Rng rng = new Rng(200 + layers);
        int[] x = tokens(rng);
        int[] y = tokens(rng);
        RecurrentState start = randomState(model.config(), rng);

        model.zeroGrad();
        model.forward(x, y, T, B, start.copy(), true, null);
        model.backward();
        DoubleSupplier loss = () -> model.lossSum(x, y, T, B, start.copy());
        Supplier<boolean[]> active = cell == CellType.RNN_RELU ? () -> activeUnits(model) : null;
        for (Parameter p : model.parameters()) {
            GradCheck.check(cell.id() + " " + p.name(), p.value(), scaled(p.grad(), N), loss, active);
        }
    }

    /**
     * The tests above have 7 vocabulary entries and 15 tokens per window, so layer 0 takes the folded
     * path (one input projection per vocabulary entry); here the window is shorter than the
     * vocabulary and every token's embedding copy is projected, as for word models.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = CellType.class, names = {"LSTM", "RNN_TANH"})
    void gradientsMatchWithMoreVocabularyThanTokens(CellType cell) {
        int v = 23, t = 3, b = 2, n = t * b;
        LanguageModel model = new LanguageModel(new ModelConfig(cell, v, E, H, 2, 0f), KernelProvider.scalar());
        model.initialize(new Rng(41));
        Rng rng = new Rng(42);
        int[] x = new int[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextInt(v);
            y[i] = rng.nextInt(v);
        }
        RecurrentState start = randomState(model.config(), b, rng);
        model.zeroGrad();
        model.forward(x, y, t, b, start.copy(), true, null);
        model.backward();
        DoubleSupplier loss = () -> model.lossSum(x, y, t, b, start.copy());
        for (Parameter p : model.parameters()) {
            GradCheck.check("unfolded " + cell.id() + " " + p.name(), p.value(), scaled(p.grad(), n), loss);
        }
    }

    @Test
    void inputCacheGivesTheSameLogitsAsProjectingEachToken() {
        for (var kernels : java.util.List.of(KernelProvider.scalar(), new dev.ballast.engine.vector.VectorKernels(2))) {
            LanguageModel model = new LanguageModel(new ModelConfig(CellType.LSTM, V, E, H, 2, 0f), kernels);
            model.initialize(new Rng(7));
            LanguageModel.InputCache cache = model.newInputCache();
            org.junit.jupiter.api.Assertions.assertNotNull(cache);
            Rng rng = new Rng(8);
            RecurrentState a = randomState(model.config(), 1, rng);
            RecurrentState b = a.copy();
            float[] plain = new float[V];
            float[] cached = new float[V];
            for (int i = 0; i < 40; i++) { // 40 tokens of 7: most rows come from the cache
                int[] token = {rng.nextInt(V)};
                model.logits(token, 1, 1, a, plain);
                model.logits(token, 1, 1, b, cached, cache);
                for (int j = 0; j < V; j++) {
                    org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(plain[j]),
                            Float.floatToIntBits(cached[j]), kernels.name() + " token " + i + " logit " + j);
                }
            }
        }
        LanguageModel big = new LanguageModel(new ModelConfig(CellType.LSTM, 10_000, 8, 200, 1, 0f),
                KernelProvider.scalar());
        org.junit.jupiter.api.Assertions.assertNull(big.newInputCache(), "10,000 x 800 floats are not cached");
    }

    @Test
    void badTokensAndAForeignCacheAreRefusedOnEveryInputPath() {
        LanguageModel model = new LanguageModel(new ModelConfig(CellType.LSTM, V, E, H, 1, 0f), KernelProvider.scalar());
        LanguageModel other = new LanguageModel(new ModelConfig(CellType.LSTM, V, E, H, 1, 0f), KernelProvider.scalar());
        float[] out = new float[N * V];
        int[] bad = new int[N];
        bad[4] = V; // one past the vocabulary, in a window longer than it (the folded path) and in one step
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.logits(bad, T, B, model.config().newState(B), out));
        org.junit.jupiter.api.Assertions.assertEquals("token id 7 at position 4 is outside [0, 7)", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.logits(new int[] {-1}, 1, 1, model.config().newState(1), out, model.newInputCache()));
        org.junit.jupiter.api.Assertions.assertEquals("token id -1 at position 0 is outside [0, 7)", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.logits(new int[] {0}, 1, 1, model.config().newState(1), out, other.newInputCache()));
        org.junit.jupiter.api.Assertions.assertEquals("the input cache belongs to another model", e.getMessage());
    }

    @Test
    void foldedAndPerTokenInputProjectionsGiveTheSameLogits() {
        // One window of 5 x 3 tokens (more than the 7 entries: folded) against five windows of one step
        // (3 tokens each: projected per token), the state carried between them.
        for (var kernels : java.util.List.of(KernelProvider.scalar(), new dev.ballast.engine.vector.VectorKernels(2))) {
            LanguageModel model = new LanguageModel(new ModelConfig(CellType.LSTM, V, E, H, 2, 0f), kernels);
            model.initialize(new Rng(5));
            Rng rng = new Rng(6);
            int[] x = tokens(rng);
            RecurrentState start = randomState(model.config(), rng);
            float[] whole = new float[N * V];
            model.logits(x, T, B, start.copy(), whole);
            RecurrentState state = start.copy();
            float[] step = new float[B * V];
            for (int s = 0; s < T; s++) {
                model.logits(java.util.Arrays.copyOfRange(x, s * B, (s + 1) * B), 1, B, state, step);
                for (int i = 0; i < B * V; i++) {
                    org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(whole[s * B * V + i]),
                            Float.floatToIntBits(step[i]), kernels.name() + " step " + s + " at " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} layers, dropout {2}")
    @org.junit.jupiter.params.provider.CsvSource({"LSTM, 2, 0", "LSTM, 3, 0", "RNN_TANH, 3, 0", "LSTM, 3, 0.4"})
    void residualGradientsMatchFiniteDifferences(CellType cell, int layers, float dropout) {
        // Residual connections from layer 1 up: the skip path's gradient (dL/dy straight into dL/dx) must add to
        // the one through the layer. Re-seeding the dropout Rng redraws the same masks (as in the dropout check).
        LanguageModel model = new LanguageModel(new ModelConfig(cell, V, E, H, layers, dropout, false, true),
                KernelProvider.scalar());
        model.initialize(new Rng(500 + layers));
        Rng rng = new Rng(600 + layers);
        int[] x = tokens(rng);
        int[] y = tokens(rng);
        RecurrentState start = randomState(model.config(), rng);
        model.zeroGrad();
        model.forward(x, y, T, B, start.copy(), true, new Rng(700));
        model.backward();
        DoubleSupplier loss = () -> (double) model.forward(x, y, T, B, start.copy(), true, new Rng(700)) * N;
        for (Parameter p : model.parameters()) {
            GradCheck.check("residual " + cell.id() + " " + p.name(), p.value(), scaled(p.grad(), N), loss);
        }
    }

    @Test
    void residualModelDiffersFromThePlainOneOnlyByTheSkip() {
        // Same weights, one layer: residual needs two, so compare 2-layer models; the outputs must differ
        // (the skip is really there) and the plain model must be untouched by the new code path.
        ModelConfig plain = new ModelConfig(CellType.LSTM, V, E, H, 2, 0f);
        ModelConfig skip = new ModelConfig(CellType.LSTM, V, E, H, 2, 0f, false, true);
        LanguageModel a = new LanguageModel(plain, KernelProvider.scalar());
        LanguageModel b = new LanguageModel(skip, KernelProvider.scalar());
        a.initialize(new Rng(9));
        b.initialize(new Rng(9));
        Rng rng = new Rng(10);
        int[] x = tokens(rng);
        int[] y = tokens(rng);
        double la = a.lossSum(x, y, T, B, plain.newState(B));
        double lb = b.lossSum(x, y, T, B, skip.newState(B));
        org.junit.jupiter.api.Assertions.assertNotEquals(la, lb);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(CellType.LSTM, V, E, H, 1, 0f, false, true));
    }

    @Test
    void tiedEmbeddingGradientSumsInputAndOutputUsesAndMatchesFiniteDifferences() {
        LanguageModel model = new LanguageModel(new ModelConfig(CellType.LSTM, V, H, H, 2, 0f, true), KernelProvider.scalar());
        model.initialize(new Rng(400));
        Rng rng = new Rng(401);
        int[] x = tokens(rng);
        int[] y = tokens(rng);
        RecurrentState start = randomState(model.config(), rng);
        model.zeroGrad();
        model.forward(x, y, T, B, start.copy(), true, null);
        model.backward();
        DoubleSupplier loss = () -> model.lossSum(x, y, T, B, start.copy());
        org.junit.jupiter.api.Assertions.assertTrue(model.parameters().stream().noneMatch(p -> p.name().equals("output.weight")));
        for (Parameter p : model.parameters()) {
            GradCheck.check("tied " + p.name(), p.value(), scaled(p.grad(), N), loss);
        }
    }

    @Test
    void gradientsWithDropoutMatchFiniteDifferencesUnderAFixedMask() {
        // Re-seeding the dropout Rng before every forward redraws the same masks, so the loss is a
        // smooth function of the parameters and the masked backward can be checked like any other.
        LanguageModel model = new LanguageModel(new ModelConfig(CellType.LSTM, V, E, H, 2, 0.4f), KernelProvider.scalar());
        model.initialize(new Rng(300));
        Rng rng = new Rng(301);
        int[] x = tokens(rng);
        int[] y = tokens(rng);
        RecurrentState start = randomState(model.config(), rng);
        model.zeroGrad();
        model.forward(x, y, T, B, start.copy(), true, new Rng(302));
        model.backward();
        DoubleSupplier loss = () -> (double) model.forward(x, y, T, B, start.copy(), true, new Rng(302)) * N;
        for (Parameter p : model.parameters()) {
            GradCheck.check("dropout " + p.name(), p.value(), scaled(p.grad(), N), loss);
        }
    }

    private static int[] tokens(Rng rng) {
        int[] t = new int[N];
        for (int i = 0; i < N; i++) {
            t[i] = rng.nextInt(V);
        }
        return t;
    }

    private static RecurrentState randomState(ModelConfig cfg, Rng rng) {
        return randomState(cfg, B, rng);
    }

    /** A non-zero starting state, so the tests exercise the carried state. */
    static RecurrentState randomState(ModelConfig cfg, int batch, Rng rng) {
        RecurrentState s = cfg.newState(batch);
        for (int l = 0; l < cfg.layers(); l++) {
            fill(s.h(l), rng);
            if (s.c(l) != null) {
                fill(s.c(l), rng);
            }
        }
        return s;
    }

    private static void fill(float[] a, Rng rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (2f * rng.nextFloat() - 1f) * 0.5f;
        }
    }

    private static float[] scaled(float[] g, int n) {
        float[] s = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            s[i] = g[i] * n;
        }
        return s;
    }

    /** Which ReLU units of every layer are on in the last forward (a change means a kink was crossed). */
    private static boolean[] activeUnits(LanguageModel model) {
        boolean[] on = new boolean[model.layers().size() * N * H];
        int k = 0;
        for (RecurrentLayer layer : model.layers()) {
            for (int i = 0; i < N * H; i++) {
                on[k++] = layer.output()[layer.outputOffset() + i] > 0f;
            }
        }
        return on;
    }
}
