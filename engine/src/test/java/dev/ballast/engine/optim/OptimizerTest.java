package dev.ballast.engine.optim;

import dev.ballast.engine.Rng;
import dev.ballast.engine.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared update loop: weight decay, step counting, state snapshots and resume. */
class OptimizerTest {

    /** Every optimizer, in the configurations that carry different state. */
    static final Map<String, Supplier<Optimizer>> ALL = new LinkedHashMap<>();

    static {
        OptimizerSettings mom = OptimizerSettings.builder().momentum(0.9).build();
        ALL.put("sgd", () -> new Sgd(OptimizerSettings.defaults()));
        ALL.put("sgd+momentum", () -> new Sgd(mom));
        ALL.put("sgd+nesterov+decay", () -> new Sgd(OptimizerSettings.builder().momentum(0.9).nesterov(true)
                .weightDecay(0.1).build()));
        ALL.put("adam", () -> new Adam(OptimizerSettings.defaults()));
        ALL.put("adamw", () -> new AdamW(OptimizerSettings.defaults()));
        ALL.put("rmsprop", () -> new RmsProp(OptimizerSettings.defaults()));
        ALL.put("rmsprop+momentum", () -> new RmsProp(mom));
        ALL.put("adagrad", () -> new Adagrad(OptimizerSettings.defaults()));
    }

    static List<Parameter> model() {
        Parameter w = new Parameter("layers.0.w_input", Parameter.Kind.INPUT_WEIGHT, 3, 4);
        Parameter b = new Parameter("layers.0.bias", Parameter.Kind.BIAS, 4);
        Rng rng = new Rng(7);
        for (Parameter p : List.of(w, b)) {
            for (int i = 0; i < p.size(); i++) {
                p.value()[i] = (float) rng.nextGaussian();
            }
        }
        return List.of(w, b);
    }

    /** A deterministic gradient for step s that depends on the weights, as a real loss would. */
    static void fillGradients(List<Parameter> params, int s) {
        Rng rng = new Rng(1000 + s);
        for (Parameter p : params) {
            for (int i = 0; i < p.size(); i++) {
                p.grad()[i] = 0.3f * p.value()[i] + (float) rng.nextGaussian();
            }
        }
    }

    static void train(Optimizer opt, List<Parameter> params, int from, int to) {
        for (int s = from; s < to; s++) {
            fillGradients(params, s);
            opt.step(params, 0.05f / (1 + s));
        }
    }

    static List<Parameter> copy(List<Parameter> params) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : params) {
            Parameter c = new Parameter(p.name(), p.kind(), p.shape());
            System.arraycopy(p.value(), 0, c.value(), 0, p.size());
            out.add(c);
        }
        return out;
    }

    @Test
    void resumeContinuesExactly() {
        int n = 7;
        int k = 3;
        for (Map.Entry<String, Supplier<Optimizer>> e : ALL.entrySet()) {
            List<Parameter> straight = model();
            Optimizer a = e.getValue().get();
            train(a, straight, 0, n);

            List<Parameter> first = model();
            Optimizer b = e.getValue().get();
            train(b, first, 0, k);
            Map<String, float[]> saved = b.state();
            long steps = b.steps();

            List<Parameter> resumedParams = copy(first);   // fresh Parameter objects, as after loading
            Optimizer resumed = e.getValue().get();
            resumed.restore(saved, steps);
            train(resumed, resumedParams, k, n);

            assertEquals(n, resumed.steps(), e.getKey());
            for (int i = 0; i < straight.size(); i++) {
                assertArrayEquals(straight.get(i).value(), resumedParams.get(i).value(),
                        e.getKey() + " " + straight.get(i).name());
            }
            Map<String, float[]> want = a.state();
            Map<String, float[]> got = resumed.state();
            assertEquals(want.keySet(), got.keySet(), e.getKey());
            for (String key : want.keySet()) {
                assertArrayEquals(want.get(key), got.get(key), e.getKey() + " " + key);
            }
        }
    }

    @Test
    void resumeWithoutStepCountDiffersForAdam() {
        // Guards the test above: Adam's bias correction depends on t, so losing it must show.
        List<Parameter> straight = model();
        train(new Adam(OptimizerSettings.defaults()), straight, 0, 5);
        List<Parameter> p = model();
        Optimizer b = new Adam(OptimizerSettings.defaults());
        train(b, p, 0, 2);
        Optimizer resumed = new Adam(OptimizerSettings.defaults());
        resumed.restore(b.state(), 0);
        train(resumed, p, 2, 5);
        assertNotEquals(straight.get(0).value()[0], p.get(0).value()[0]);
    }

    @Test
    void stateKeysNameParameterAndSlotAndAreCopies() {
        List<Parameter> params = model();
        Optimizer adam = new Adam(OptimizerSettings.defaults());
        train(adam, params, 0, 1);
        Map<String, float[]> state = adam.state();
        assertEquals(List.of("layers.0.w_input.m", "layers.0.w_input.v", "layers.0.bias.m", "layers.0.bias.v"),
                List.copyOf(state.keySet()));
        assertEquals(12, state.get("layers.0.w_input.m").length);
        float before = state.get("layers.0.bias.m")[0];
        train(adam, params, 1, 2);
        assertEquals(before, state.get("layers.0.bias.m")[0]);
        assertNotSame(state.get("layers.0.bias.m"), adam.state().get("layers.0.bias.m"));
    }

    @Test
    void weightDecaySkipsBiases() {
        for (Supplier<Optimizer> make : List.<Supplier<Optimizer>>of(
                () -> new Sgd(OptimizerSettings.builder().weightDecay(0.5).build()),
                () -> new AdamW(OptimizerSettings.defaults()))) {
            List<Parameter> params = model();
            float[] w0 = params.get(0).value().clone();
            float[] b0 = params.get(1).value().clone();
            Optimizer opt = make.get();
            // Zero gradients: SGD and Adam then move nothing, so any change is the decay alone.
            opt.step(params, 0.1f);
            float factor = 0.1f * opt.weightDecay();
            for (int i = 0; i < w0.length; i++) {
                assertEquals(w0[i] - factor * w0[i], params.get(0).value()[i], 0f, opt.name());
            }
            assertArrayEquals(b0, params.get(1).value(), opt.name());
        }
    }

    @Test
    void adamWDefaultsToHundredthAndAdamToNoDecay() {
        assertEquals(0.01f, new AdamW(OptimizerSettings.defaults()).weightDecay());
        assertEquals(0f, new Adam(OptimizerSettings.defaults()).weightDecay());
        assertEquals(0f, new AdamW(OptimizerSettings.builder().weightDecay(0).build()).weightDecay());
    }

    @Test
    void restoreRejectsUnknownSlot() {
        Optimizer adam = new Adam(OptimizerSettings.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(Map.of("w.momentum", new float[2]), 1));
        assertTrue(e.getMessage().contains("'w.momentum'"), e.getMessage());
    }

    @Test
    void restoreRejectsMissingSlot() {
        Optimizer adam = new Adam(OptimizerSettings.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(Map.of("w.m", new float[2]), 1));
        assertTrue(e.getMessage().contains("'w.v'"), e.getMessage());
    }

    @Test
    void restoreRejectsSlotsOfDifferentSizes() {
        Optimizer adam = new Adam(OptimizerSettings.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(Map.of("w.m", new float[2], "w.v", new float[3]), 1));
        assertTrue(e.getMessage().contains("'w.v'") || e.getMessage().contains("'w.m'"), e.getMessage());
    }

    @Test
    void stepRejectsStateOfWrongSizeNamingTheKey() {
        Optimizer adam = new Adam(OptimizerSettings.defaults());
        adam.restore(Map.of("layers.0.bias.m", new float[3], "layers.0.bias.v", new float[3]), 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.step(model(), 0.1f));
        assertTrue(e.getMessage().contains("'layers.0.bias.m'"), e.getMessage());
    }

    @Test
    void restoreRejectsNegativeSteps() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(OptimizerSettings.defaults()).restore(Map.of(), -1));
    }

    @Test
    void gradientsAreNotModified() {
        for (Map.Entry<String, Supplier<Optimizer>> e : ALL.entrySet()) {
            List<Parameter> params = model();
            fillGradients(params, 0);
            float[] g = params.get(0).grad().clone();
            e.getValue().get().step(params, 0.1f);
            assertArrayEquals(g, params.get(0).grad(), e.getKey());
        }
    }
}
