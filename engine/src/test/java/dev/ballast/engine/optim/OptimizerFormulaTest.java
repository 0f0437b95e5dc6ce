package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each optimizer against its formula, evaluated here in double on a two-element parameter over three
 * steps with these gradients (chosen to change sign and include a zero):
 * <pre>
 *   w0 = (0.5, -1.0)
 *   g1 = (0.1, -0.2)   g2 = (-0.3, 0.4)   g3 = (0.05, 0.0)
 * </pre>
 * The float code and the double reference agree to float rounding (tolerance 1e-6 relative to |w|).
 */
class OptimizerFormulaTest {

    static final double[] W0 = {0.5, -1.0};
    static final double[][] G = {{0.1, -0.2}, {-0.3, 0.4}, {0.05, 0.0}};
    static final float LR = 0.01f;

    /** Runs the optimizer over G and returns the weights after each step. */
    static float[][] run(Optimizer opt) {
        Parameter p = new Parameter("w", Parameter.Kind.INPUT_WEIGHT, 2);
        for (int i = 0; i < 2; i++) {
            p.value()[i] = (float) W0[i];
        }
        float[][] out = new float[G.length][];
        for (int s = 0; s < G.length; s++) {
            for (int i = 0; i < 2; i++) {
                p.grad()[i] = (float) G[s][i];
            }
            opt.step(List.of(p), LR);
            out[s] = p.value().clone();
        }
        return out;
    }

    static void assertClose(double[] expected, float[] actual, int step) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])),
                    "step " + (step + 1) + ", element " + i);
        }
    }

    @Test
    void plainSgdSubtractsLearningRateTimesGradient() {
        float[][] got = run(new Sgd(OptimizerSettings.defaults()));
        // By hand: w1 = (0.5 - 0.001, -1 + 0.002) = (0.499, -0.998)
        assertArrayEquals(new float[] {0.499f, -0.998f}, got[0], 1e-7f);
        double[] w = W0.clone();
        for (int s = 0; s < G.length; s++) {
            for (int i = 0; i < 2; i++) {
                w[i] -= LR * G[s][i];
            }
            assertClose(w, got[s], s);
        }
    }

    @Test
    void sgdMomentumAccumulatesBuffer() {
        double mu = 0.9;
        float[][] got = run(new Sgd(OptimizerSettings.builder().momentum(mu).build()));
        // buf = mu buf + g; w -= lr buf. By hand, step 2, element 0: buf = 0.09 - 0.3 = -0.21,
        // w = 0.499 + 0.0021 = 0.5011
        assertEquals(0.5011, got[1][0], 1e-6);
        double[] w = W0.clone();
        double[] buf = new double[2];
        for (int s = 0; s < G.length; s++) {
            for (int i = 0; i < 2; i++) {
                buf[i] = mu * buf[i] + G[s][i];
                w[i] -= LR * buf[i];
            }
            assertClose(w, got[s], s);
        }
    }

    @Test
    void sgdNesterovLooksAhead() {
        double mu = 0.9;
        float[][] got = run(new Sgd(OptimizerSettings.builder().momentum(mu).nesterov(true).build()));
        // d = g + mu buf. By hand, step 1, element 0: buf = 0.1, d = 0.19, w = 0.5 - 0.0019 = 0.4981
        assertEquals(0.4981, got[0][0], 1e-6);
        double[] w = W0.clone();
        double[] buf = new double[2];
        for (int s = 0; s < G.length; s++) {
            for (int i = 0; i < 2; i++) {
                buf[i] = mu * buf[i] + G[s][i];
                w[i] -= LR * (G[s][i] + mu * buf[i]);
            }
            assertClose(w, got[s], s);
        }
    }

    /** Adam as written in torch.optim.Adam's documentation, in double. */
    static double[][] adamReference(double b1, double b2, double eps, double weightDecay) {
        double[] w = W0.clone();
        double[] m = new double[2];
        double[] v = new double[2];
        double[][] out = new double[G.length][];
        for (int s = 0; s < G.length; s++) {
            int t = s + 1;
            for (int i = 0; i < 2; i++) {
                w[i] -= LR * weightDecay * w[i];
                m[i] = b1 * m[i] + (1 - b1) * G[s][i];
                v[i] = b2 * v[i] + (1 - b2) * G[s][i] * G[s][i];
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                w[i] -= (LR / (1 - Math.pow(b1, t))) * m[i] / denom;
            }
            out[s] = w.clone();
        }
        return out;
    }

    @Test
    void adamFollowsPyTorchFormula() {
        float[][] got = run(new Adam(OptimizerSettings.defaults()));
        // By hand, step 1: m̂ = g, sqrt(v̂) = |g|, so w1 = w0 - lr * g / (|g| + 1e-8) ≈ w0 - lr * sign(g).
        assertArrayEquals(new float[] {0.49f, -0.99f}, got[0], 1e-6f);
        double[][] want = adamReference(0.9, 0.999, 1e-8, 0);
        for (int s = 0; s < G.length; s++) {
            assertClose(want[s], got[s], s);
        }
    }

    @Test
    void adamUsesGivenBetasAndEps() {
        OptimizerSettings settings = OptimizerSettings.builder().beta1(0.5).beta2(0.9).eps(1e-3).build();
        float[][] got = run(new Adam(settings));
        double[][] want = adamReference(0.5, 0.9, 1e-3, 0);
        for (int s = 0; s < G.length; s++) {
            assertClose(want[s], got[s], s);
        }
    }

    @Test
    void adamWDecaysByDefaultHundredth() {
        float[][] got = run(new AdamW(OptimizerSettings.defaults()));
        double[][] want = adamReference(0.9, 0.999, 1e-8, 0.01);
        for (int s = 0; s < G.length; s++) {
            assertClose(want[s], got[s], s);
        }
        // The decay must be visible: AdamW and Adam differ by about lr * 0.01 * w per step.
        float[][] adam = run(new Adam(OptimizerSettings.defaults()));
        assertEquals(LR * 0.01 * 0.5, adam[0][0] - got[0][0], 1e-7);
    }

    @Test
    void adamWUsesGivenWeightDecayIncludingZero() {
        float[][] got = run(new AdamW(OptimizerSettings.builder().weightDecay(0.1).build()));
        double[][] want = adamReference(0.9, 0.999, 1e-8, 0.1);
        for (int s = 0; s < G.length; s++) {
            assertClose(want[s], got[s], s);
        }
        float[][] off = run(new AdamW(OptimizerSettings.builder().weightDecay(0).build()));
        assertArrayEquals(run(new Adam(OptimizerSettings.defaults()))[2], off[2]);
    }

    @Test
    void rmsPropDividesByRunningRms() {
        double a = 0.99;
        double eps = 1e-8;
        float[][] got = run(new RmsProp(OptimizerSettings.defaults()));
        // By hand, step 1, element 0: v = 0.01 * 0.01 = 1e-4, sqrt = 0.01, w = 0.5 - 0.01 * 0.1 / 0.01 = 0.4
        assertEquals(0.4, got[0][0], 1e-6);
        double[] w = W0.clone();
        double[] v = new double[2];
        for (int s = 0; s < G.length; s++) {
            for (int i = 0; i < 2; i++) {
                v[i] = a * v[i] + (1 - a) * G[s][i] * G[s][i];
                w[i] -= LR * G[s][i] / (Math.sqrt(v[i]) + eps);
            }
            assertClose(w, got[s], s);
        }
    }

    @Test
    void rmsPropWithMomentumBuffersScaledGradient() {
        double a = 0.9;
        double mu = 0.5;
        double eps = 1e-8;
        float[][] got = run(new RmsProp(OptimizerSettings.builder().rmsAlpha(a).momentum(mu).build()));
        double[] w = W0.clone();
        double[] v = new double[2];
        double[] buf = new double[2];
        for (int s = 0; s < G.length; s++) {
            for (int i = 0; i < 2; i++) {
                v[i] = a * v[i] + (1 - a) * G[s][i] * G[s][i];
                buf[i] = mu * buf[i] + G[s][i] / (Math.sqrt(v[i]) + eps);
                w[i] -= LR * buf[i];
            }
            assertClose(w, got[s], s);
        }
    }

    @Test
    void adagradDividesByRootOfSummedSquares() {
        double eps = 1e-10;
        float[][] got = run(new Adagrad(OptimizerSettings.defaults()));
        // By hand, step 2, element 0: sum = 0.01 + 0.09 = 0.1, w = 0.49 + 0.01 * 0.3 / sqrt(0.1) = 0.4994868...
        assertEquals(0.49 + 0.003 / Math.sqrt(0.1), got[1][0], 1e-6);
        double[] w = W0.clone();
        double[] sum = new double[2];
        for (int s = 0; s < G.length; s++) {
            for (int i = 0; i < 2; i++) {
                sum[i] += G[s][i] * G[s][i];
                w[i] -= LR * G[s][i] / (Math.sqrt(sum[i]) + eps);
            }
            assertClose(w, got[s], s);
        }
    }

    @Test
    void adagradDefaultsToPyTorchEps() {
        // A gradient of 1e-9 on the first step, where eps matters: the move is lr * g / (|g| + eps),
        // 1e-9 / (1e-9 + 1e-10) = 0.909 with Adagrad's 1e-10 (it would be 0.0909 with 1e-8).
        Parameter p = new Parameter("w", Parameter.Kind.INPUT_WEIGHT, 1);
        p.grad()[0] = 1e-9f;
        new Adagrad(OptimizerSettings.defaults()).step(List.of(p), 1f);
        assertEquals(-1e-9 / (1e-9 + 1e-10), p.value()[0], 1e-4);
    }
}
