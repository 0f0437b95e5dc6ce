package dev.ballast.lm;

import dev.ballast.engine.nn.RecurrentState;

import dev.ballast.engine.nn.CellType;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole model gives the same numbers on the fast kernels as on the scalar reference. */
class KernelParityTest {

    @ParameterizedTest
    @CsvSource({"lstm, 6, 1", "lstm, 1, 1", "lstm, 5, 3", "rnn-tanh, 6, 1", "rnn-relu, 1, 1", "lstm, 33, 17"})
    void logitsMatchTheScalarKernels(String cell, int steps, int batch) {
        // Sizes with ragged vector tails: 4·70 = 280 gate columns, vocabulary 65, embedding 33.
        ModelConfig cfg = new ModelConfig(CellType.parse(cell), 65, 33, 70, 2, 0f);
        Kernels fast = KernelProvider.best(2);
        LanguageModel a = new LanguageModel(cfg, KernelProvider.scalar());
        LanguageModel b = new LanguageModel(cfg, fast);
        a.initialize(new Rng(5));
        b.initialize(new Rng(5));
        RecurrentState sa = cfg.newState(batch);
        RecurrentState sb = cfg.newState(batch);
        Rng rng = new Rng(8);
        float[] la = new float[steps * batch * 65];
        float[] lb = new float[steps * batch * 65];
        for (int call = 0; call < 4; call++) {
            int[] x = new int[steps * batch];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(65);
            }
            a.logits(x, steps, batch, sa, la);
            b.logits(x, steps, batch, sb, lb);
            float max = 0;
            for (int i = 0; i < la.length; i++) {
                max = Math.max(max, Math.abs(la[i] - lb[i]));
            }
            assertEquals(0f, max, 1e-4f, fast.name() + " call " + call);
        }
    }
}
