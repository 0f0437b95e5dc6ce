package dev.ballast.training.stability;

import dev.ballast.corpora.Batches;
import dev.ballast.engine.Rng;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.engine.optim.LearningRateSchedule;
import dev.ballast.engine.optim.Optimizer;

import java.util.List;
import java.util.Map;

/**
 * The last good in-memory copy of everything a step changes: weights, optimizer moments and step count,
 * schedule state, dropout RNG, data cursor, carried hidden state, and the spike detector's average.
 * {@link #restoreInto} puts all of it back bit for bit, so a rolled-back run is the run as it was at
 * {@link #step()}. Nothing here touches disk: a diverged state is never written anywhere.
 */
public final class TrainingSnapshot {

    private final long step;
    private final long tokensSeen;
    private final float[][] weights;            // [parameter] -> copy of value()
    private final Map<String, float[]> optimizerState;
    private final long optimizerSteps;
    private final Map<String, Double> schedule;
    private final long rng;
    private final long position;
    private final RecurrentState state;
    private final double[] spike;
    private final double[] regression; // null when taken without a regression detector

    private TrainingSnapshot(long step, long tokensSeen, float[][] weights, Map<String, float[]> optimizerState,
                             long optimizerSteps, Map<String, Double> schedule, long rng, long position,
                             RecurrentState state, double[] spike, double[] regression) {
        this.step = step;
        this.tokensSeen = tokensSeen;
        this.weights = weights;
        this.optimizerState = optimizerState;
        this.optimizerSteps = optimizerSteps;
        this.schedule = schedule;
        this.rng = rng;
        this.position = position;
        this.state = state;
        this.spike = spike;
        this.regression = regression;
    }

    /** Copies the live training state; {@code stateTemplate} is a spare state of the right shape to copy into. */
    public static TrainingSnapshot take(long step, long tokensSeen, List<Parameter> params, Optimizer optimizer,
                                        LearningRateSchedule schedule, Rng rng, Batches batcher,
                                        RecurrentState state, RecurrentState stateTemplate, LossSpikeDetector spike) {
        return take(step, tokensSeen, params, optimizer, schedule, rng, batcher, state, stateTemplate, spike, null);
    }

    /** {@link #take} that also copies the {@link LossRegressionDetector}'s state (null: none). */
    public static TrainingSnapshot take(long step, long tokensSeen, List<Parameter> params, Optimizer optimizer,
                                        LearningRateSchedule schedule, Rng rng, Batches batcher,
                                        RecurrentState state, RecurrentState stateTemplate, LossSpikeDetector spike,
                                        LossRegressionDetector regression) {
        float[][] w = new float[params.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = params.get(i).value().clone();
        }
        stateTemplate.copyFrom(state);
        return new TrainingSnapshot(step, tokensSeen, w, optimizer.state(), optimizer.steps(),
                Map.copyOf(schedule.state()), rng.state(), batcher.position(), stateTemplate, spike.state(),
                regression == null ? null : regression.state());
    }

    /** Puts every copied value back into the live objects. */
    public void restoreInto(List<Parameter> params, Optimizer optimizer, LearningRateSchedule schedule, Rng rng,
                            Batches batcher, RecurrentState live, LossSpikeDetector spikeDetector) {
        restoreInto(params, optimizer, schedule, rng, batcher, live, spikeDetector, null);
    }

    /** {@link #restoreInto} that also puts back the {@link LossRegressionDetector}'s state when one was copied. */
    public void restoreInto(List<Parameter> params, Optimizer optimizer, LearningRateSchedule schedule, Rng rng,
                            Batches batcher, RecurrentState live, LossSpikeDetector spikeDetector,
                            LossRegressionDetector regressionDetector) {
        for (int i = 0; i < weights.length; i++) {
            System.arraycopy(weights[i], 0, params.get(i).value(), 0, weights[i].length);
        }
        optimizer.restore(optimizerState, optimizerSteps);
        schedule.restore(this.schedule);
        rng.restore(this.rng);
        batcher.seek(position);
        live.copyFrom(state);
        spikeDetector.restore(spike);
        if (regression != null && regressionDetector != null) {
            regressionDetector.restore(regression);
        }
    }

    public long step() {
        return step;
    }

    public long tokensSeen() {
        return tokensSeen;
    }

    public long position() {
        return position;
    }
}
