package dev.ballast.training.stability;

import dev.ballast.engine.optim.OptimizerKind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ballast.corpora.TbpttBatcher;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.engine.optim.LearningRateSchedule;
import dev.ballast.engine.optim.Optimizer;
import dev.ballast.engine.optim.OptimizerSettings;
import dev.ballast.engine.optim.Optimizers;
import dev.ballast.engine.optim.Schedules;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSnapshotTest {

    private final ModelConfig cfg = new ModelConfig(CellType.LSTM, 7, 4, 6, 2, 0.2f);
    private final LanguageModel model = new LanguageModel(cfg, KernelProvider.scalar());
    private final Optimizer adam = Optimizers.create(OptimizerKind.ADAM, OptimizerSettings.defaults());
    private final LearningRateSchedule schedule = Schedules.parse("plateau:0.5:1", 0.01f, 100);
    private final Rng rng = new Rng(3);
    private final TbpttBatcher batcher;
    private final RecurrentState state = cfg.newState(2);
    private final LossSpikeDetector spikes = new LossSpikeDetector(3);
    private final int[] x = new int[10];
    private final int[] y = new int[10];

    TrainingSnapshotTest() {
        int[] tokens = new int[200];
        Rng r = new Rng(11);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(7);
        }
        batcher = new TbpttBatcher(tokens, 2, 5, false);
        model.initialize(new Rng(1));
    }

    private void train(int steps) {
        for (int s = 0; s < steps; s++) {
            batcher.next(x, y);
            model.zeroGrad();
            float loss = model.forward(x, y, 5, 2, state, true, rng);
            model.backward();
            adam.step(model.parameters(), 0.01f);
            spikes.accept(loss);
            schedule.onValidation(s, 10 - s); // moves the plateau schedule's state
        }
    }

    private float[][] weights() {
        return model.parameters().stream().map(p -> p.value().clone()).toArray(float[][]::new);
    }

    @Test
    void rollbackRestoresStateBitForBit() {
        train(3);
        float[][] w = weights();
        Map<String, float[]> moments = adam.state();
        Map<String, Double> sched = Map.copyOf(schedule.state());
        long rngState = rng.state();
        long position = batcher.position();
        float[] h1 = state.h(1).clone();
        float[] c0 = state.c(0).clone();
        double[] spike = spikes.state();
        TrainingSnapshot snap = TrainingSnapshot.take(3, 30, model.parameters(), adam, schedule, rng, batcher, state,
                cfg.newState(2), spikes);

        train(4);
        assertFalse(Arrays.equals(w[1], model.parameters().get(1).value()), "training moved the weights");

        snap.restoreInto(model.parameters(), adam, schedule, rng, batcher, state, spikes);
        for (int i = 0; i < w.length; i++) {
            Parameter p = model.parameters().get(i);
            assertArrayEquals(w[i], p.value(), p.name());
        }
        Map<String, float[]> restored = adam.state();
        assertEquals(moments.keySet(), restored.keySet());
        moments.forEach((k, v) -> assertArrayEquals(v, restored.get(k), k));
        assertEquals(3, adam.steps());
        assertEquals(sched, schedule.state());
        assertEquals(rngState, rng.state());
        assertEquals(position, batcher.position());
        assertArrayEquals(h1, state.h(1));
        assertArrayEquals(c0, state.c(0));
        assertArrayEquals(spike, spikes.state());
        assertEquals(3, snap.step());
        assertEquals(30, snap.tokensSeen());
    }

    @Test
    void replayAfterRollbackRepeatsTheSameSteps() {
        train(2);
        TrainingSnapshot snap = TrainingSnapshot.take(2, 0, model.parameters(), adam, schedule, rng, batcher, state,
                cfg.newState(2), spikes);
        train(3);
        float[][] first = weights();
        snap.restoreInto(model.parameters(), adam, schedule, rng, batcher, state, spikes);
        train(3);
        float[][] again = weights();
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], again[i]);
        }
    }

    @Test
    void reachBackCurveFallsAwayForAWeakRecurrence() {
        // A tanh RNN whose recurrent matrix is scaled to 0.05: each step back multiplies the gradient by at most
        // 0.05, so the last step's error is under 1% of its size after 2 steps back.
        ModelConfig rc = new ModelConfig(CellType.RNN_TANH, 7, 4, 6, 1, 0f);
        LanguageModel rnn = new LanguageModel(rc, KernelProvider.scalar());
        rnn.initialize(new Rng(2));
        float[] wr = rnn.layers().get(0).wRecurrent().value();
        for (int i = 0; i < wr.length; i++) {
            wr[i] *= 0.05f;
        }
        int[] xs = new int[12];
        int[] ys = new int[12];
        for (int i = 0; i < 12; i++) {
            xs[i] = i % 7;
            ys[i] = (i + 1) % 7;
        }
        rnn.forward(xs, ys, 6, 2, rc.newState(2), true, null);
        float[][] curves = rnn.reachBack();
        assertEquals(6, curves[0].length);
        int k = Findings.reach(curves[0]);
        assertEquals(2, k, Arrays.toString(curves[0]));
    }
}
