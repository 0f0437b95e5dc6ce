package dev.ballast.training.stability;

import dev.ballast.corpora.Batches;
import dev.ballast.engine.Rng;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.engine.optim.LearningRateSchedule;
import dev.ballast.engine.optim.Optimizer;

import java.util.List;

/**
 * Detects bad steps and recovers from them: the part of the stability toolkit that changes training.
 * The trainer asks it after the forward ({@link #checkForward}) and after clipping ({@link #checkGradients});
 * on an incident {@link #recover} skips the update or rolls back to the last {@link TrainingSnapshot},
 * per the {@link RecoveryPolicy}, and records the incident with the {@link StabilityMonitor}.
 * With recovery off it still detects non-finite values, and {@link #recover} answers FAILED.
 *
 * <p>Slow trouble no single step shows is checked after each healthy step ({@link #checkTrend}) and after
 * each validation ({@link #checkValidation}): a training loss that climbed clearly above its best and stayed
 * there ({@link LossRegressionDetector}) rolls back to the best snapshot with half the learning rate; a
 * gradient norm stuck far above the clip ({@link PersistentClipDetector}) or a validation loss above its best
 * at {@value #VAL_PATIENCE} validations in a row halves the learning rate; gradients exploding through an
 * expanding vanilla-RNN recurrence ({@link ExpandingRecurrence}) rescale it.
 */
public final class StabilityGuard {

    /** Steps between in-memory snapshots (also taken at every checkpoint). */
    public static final int SNAPSHOT_EVERY = 10;
    /** Validations in a row above the best (by more than the tolerance) that count as a validation regression. */
    public static final int VAL_PATIENCE = 2;
    /** Steps after a snapshot whose mean loss scores it for the regression rule. */
    static final int SCORE_STEPS = 3;

    /** The thresholds of the detectors, from the training configuration. */
    public record Rules(double spikeFactor, int maxRetries, double regressTolerance, int regressPatience,
                        double valTolerance, double clipAlarmFactor, int clipAlarmWindow, double recurrentBound) {

        /** The defaults of {@code ballast train} (its --help lists each). */
        public static final Rules DEFAULTS = new Rules(3.0, 8, 0.1, 10, 0.01, 5.0, 50, 1.5);
    }

    private final boolean enabled;
    private final LossSpikeDetector spikes;
    private final LossRegressionDetector regression;
    private final PersistentClipDetector clipAlarm;
    private final double valTolerance;
    private final ExpandingRecurrence recurrence;
    private double lastSpectral; // the largest spectral norm found by the last rescale
    private double bestVal = Double.NaN;
    private int valAbove; // validations in a row above the best by more than the tolerance
    private final RecoveryPolicy policy;
    private final StabilityMonitor monitor;
    private final List<Parameter> params;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final Rng rng;
    private final Batches batcher;
    private final RecurrentState state;
    private final RecurrentState spare;
    private final java.util.ArrayDeque<TrainingSnapshot> snapshots = new java.util.ArrayDeque<>(); // oldest first, at most 2
    private TrainingSnapshot snapshot; // the one the last rollback went to
    // The regression rule's rollback target. A snapshot's score is the mean training loss of the first
    // SCORE_STEPS steps after it: the first is computed with exactly its weights, the next two barely moved
    // from them and average out one batch's noise. A moving average would lag by ~20 steps, and a mean over the
    // whole interval would blame a snapshot for the damage done by later updates.
    private TrainingSnapshot best;     // lowest score since the last checkpoint; null when none is scored yet
    private double bestScore = Double.POSITIVE_INFINITY;
    private TrainingSnapshot pending;  // the newest snapshot, still being scored
    private double pendingSum;
    private int pendingSteps;
    private String lastLayer = "";
    // A healthy step whose trend check (checkTrend) has not run yet: a checkpoint written between the two
    // records the step's norm and threshold, and a run resumed from it runs the check first (deferredTrend).
    private boolean trendDue;
    private double[] deferredTrend;

    public StabilityGuard(boolean enabled, Rules rules, StabilityMonitor monitor,
                          List<Parameter> params, List<RecurrentLayer> layers, Optimizer optimizer,
                          LearningRateSchedule schedule, Rng rng, Batches batcher, RecurrentState state) {
        this.enabled = enabled;
        this.spikes = new LossSpikeDetector(rules.spikeFactor());
        this.regression = new LossRegressionDetector(rules.regressTolerance(), rules.regressPatience());
        this.clipAlarm = new PersistentClipDetector(rules.clipAlarmFactor(), rules.clipAlarmWindow());
        this.valTolerance = rules.valTolerance();
        this.recurrence = new ExpandingRecurrence(rules.clipAlarmFactor(), rules.recurrentBound(), layers);
        this.policy = new RecoveryPolicy(rules.maxRetries());
        this.monitor = monitor;
        this.params = params;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.rng = rng;
        this.batcher = batcher;
        this.state = state;
        this.spare = state.copy(); // the carried state before this step's forward
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the next batch was quarantined by an earlier incident and must be skipped on replay. */
    public boolean skipNext() {
        return enabled && policy.isQuarantined(batcher.position());
    }

    /** Call just before the forward: keeps the carried state, so a skipped step can put it back. */
    public void beforeForward() {
        if (enabled) {
            spare.copyFrom(state);
        }
    }

    /** After the forward: a non-finite loss or state, or null. */
    public Incident.Kind checkForward(float loss) {
        if (!Float.isFinite(loss)) {
            lastLayer = "";
            return Incident.Kind.NONFINITE_LOSS;
        }
        int l = NonFinite.firstInState(state);
        if (l >= 0) {
            lastLayer = "layers." + l;
            return Incident.Kind.NONFINITE_STATE;
        }
        return null;
    }

    /** After clipping: a non-finite gradient, a loss spike (recovery on only), or null. */
    public Incident.Kind checkGradients(float loss, double normBefore) {
        if (!Double.isFinite(normBefore)) {
            Parameter p = NonFinite.firstInGradients(params);
            lastLayer = p == null ? "" : dev.ballast.engine.optim.LayerNormClipper.layerOf(p);
            return Incident.Kind.NONFINITE_GRADIENT;
        }
        // Once the retries are used up a finite spike is let through: failing a run that is still finite
        // would be worse than the spike.
        if (enabled && !policy.exhausted() && spikes.isSpike(loss)) {
            lastLayer = "";
            return Incident.Kind.LOSS_SPIKE;
        }
        return null;
    }

    /** After the update, when the monitor found non-finite weights in {@code p}. */
    public Incident.Kind weightsBroke(Parameter p) {
        lastLayer = dev.ballast.engine.optim.LayerNormClipper.layerOf(p);
        return Incident.Kind.NONFINITE_WEIGHTS;
    }

    /** A step went through: its loss joins the moving average; snapshot every {@link #SNAPSHOT_EVERY} steps. */
    public void healthy(long step, long tokensSeen, float loss) {
        if (!enabled) {
            return;
        }
        trendDue = true;
        spikes.accept(loss);
        regression.accept(loss);
        policy.healthy();
        if (pendingSteps < SCORE_STEPS) {
            pendingSum += loss;
            pendingSteps++;
        }
        if (snapshots.isEmpty() || step % SNAPSHOT_EVERY == 0) {
            TrainingSnapshot s = take(step, tokensSeen);
            snapshots.addLast(s);
            if (snapshots.size() > 2) {
                snapshots.removeFirst();
            }
            if (pending != null && pendingSum / pendingSteps <= bestScore) {
                best = pending;
                bestScore = pendingSum / pendingSteps;
            }
            startScoring(s);
        }
    }

    private void startScoring(TrainingSnapshot s) {
        pending = s;
        pendingSum = 0;
        pendingSteps = 0;
    }

    /** The snapshot a loss regression goes back to: the best scored one, or the newest if it scores lower so far. */
    private TrainingSnapshot regressionTarget() {
        if (pending != null && (best == null || pendingSteps > 0 && pendingSum / pendingSteps < bestScore)) {
            return pending;
        }
        return best;
    }

    /**
     * After a healthy step (and its report): a slow trend that calls for recovery, or null. A loss
     * regression comes first (it rolls back); persistent clipping only while no regression is seen.
     *
     * @param normBefore this step's gradient norm before clipping
     * @param threshold  the clip threshold in force, NaN when the mode has no single one
     */
    public Incident.Kind checkTrend(double normBefore, double threshold) {
        if (!enabled) {
            return null;
        }
        trendDue = false;
        clipAlarm.accept(normBefore, threshold);
        recurrence.accept(normBefore, threshold);
        if (regression.regressed() && !policy.exhausted() && regressionTarget() != null) {
            lastLayer = "";
            return Incident.Kind.LOSS_REGRESSION;
        }
        int expanding = policy.canRescale() ? recurrence.due() : -1;
        if (expanding >= 0) {
            lastLayer = "layers." + expanding;
            return Incident.Kind.RECURRENCE_EXPANDING;
        }
        if (clipAlarm.persistent() && policy.canLowerLr()) {
            lastLayer = "";
            return Incident.Kind.PERSISTENT_CLIPPING;
        }
        return null;
    }

    /** The largest spectral norm the last {@link Incident.Kind#RECURRENCE_EXPANDING} found (its incident value). */
    public double lastSpectral() {
        return lastSpectral;
    }

    public ExpandingRecurrence recurrence() {
        return recurrence;
    }

    /** After a validation: {@link Incident.Kind#VALIDATION_REGRESSION} when it calls for a lower rate, or null. */
    public Incident.Kind checkValidation(double valLoss) {
        if (!enabled || !Double.isFinite(valLoss)) {
            return null;
        }
        if (Double.isNaN(bestVal) || valLoss < bestVal) {
            bestVal = valLoss;
            valAbove = 0;
            return null;
        }
        valAbove = valLoss > bestVal * (1 + valTolerance) ? valAbove + 1 : 0;
        if (valAbove >= VAL_PATIENCE && policy.canLowerLr()) {
            valAbove = 0;
            lastLayer = "";
            return Incident.Kind.VALIDATION_REGRESSION;
        }
        return null;
    }

    /** The moving average the regression rule watches (the value a LOSS_REGRESSION incident reports). */
    public double regressionAverage() {
        return regression.average();
    }

    /**
     * Takes the in-memory snapshot now, at the start of a run and at every checkpoint, and forgets older
     * ones: a rollback never goes behind a saved checkpoint.
     */
    public void snapshot(long step, long tokensSeen) {
        if (enabled) {
            snapshots.clear();
            snapshots.addLast(take(step, tokensSeen));
            best = null; // a rollback never goes behind a saved checkpoint
            bestScore = Double.POSITIVE_INFINITY;
            startScoring(snapshots.peekLast());
        }
    }

    private TrainingSnapshot take(long step, long tokensSeen) {
        return TrainingSnapshot.take(step, tokensSeen, params, optimizer, schedule, rng, batcher, state,
                state.copy(), spikes, regression);
    }

    /**
     * The snapshot to go back to for an incident at {@code step}: the newest one followed by at least
     * half a snapshot interval of healthy steps. A snapshot taken just before the incident may already hold
     * the update that did the damage (a loss explodes one step after the bad update), so it is passed over.
     */
    private TrainingSnapshot target(long step) {
        while (snapshots.size() > 1 && snapshots.peekLast().step() > step - 1 - SNAPSHOT_EVERY / 2) {
            snapshots.removeLast();
        }
        return snapshots.peekLast();
    }

    /**
     * Handles an incident on the batch that started at data position {@code position}.
     *
     * @return the action taken; after ROLLED_BACK the caller resets its step and token counters to
     *         {@link #snapshotStep()} / {@link #snapshotTokens()} and rebuilds its clipper with {@link #clipScale()}
     */
    public Incident.Action recover(long step, Incident.Kind kind, double value, long position) {
        if (kind.trend()) {
            return recoverTrend(step, kind, value);
        }
        Incident.Action action = enabled ? policy.decide(kind, position) : Incident.Action.FAILED;
        if (action == Incident.Action.ROLLED_BACK) {
            snapshot = target(step);
            if (snapshot == null) {
                action = Incident.Action.FAILED;
            }
        }
        monitor.incident(new Incident(step, kind, value, lastLayer, position, action));
        switch (action) {
            case SKIPPED -> {
                state.copyFrom(spare);
                for (Parameter p : params) {
                    p.zeroGrad();
                }
            }
            case ROLLED_BACK -> {
                snapshot.restoreInto(params, optimizer, schedule, rng, batcher, state, spikes, regression);
                monitor.rewindTo(snapshot.step());
                clipAlarm.reset();
                if (best != null && best.step() >= snapshot.step()) { // it belongs to the abandoned future
                    best = null;
                    bestScore = Double.POSITIVE_INFINITY;
                }
                startScoring(snapshot);
                double lr = policy.lrScale();
                monitor.change(step, "lr_scale", lr / RecoveryPolicy.BACKOFF, lr, kind.words());
                monitor.change(step, "clip_scale", policy.clipScale() / RecoveryPolicy.BACKOFF, policy.clipScale(),
                        kind.words());
            }
            case FAILED, LR_LOWERED -> {
            }
        }
        return action;
    }

    /**
     * A trend: the step itself went through. A loss regression goes back to the best snapshot (not the newest:
     * the newer ones hold the climb) and drops the snapshots after it; the others keep the weights.
     * Either way the learning rate is halved from the next step on.
     */
    private Incident.Action recoverTrend(long step, Incident.Kind kind, double value) {
        double before = policy.lrScale();
        Incident.Action action = policy.decideTrend(kind);
        if (action == Incident.Action.WEIGHTS_RESCALED) {
            lastSpectral = recurrence.rescale();
            monitor.incident(new Incident(step, kind, lastSpectral, lastLayer, -1, action));
            clipAlarm.reset();
            return action;
        }
        monitor.incident(new Incident(step, kind, value, lastLayer, -1, action));
        if (action == Incident.Action.ROLLED_BACK) {
            snapshot = regressionTarget();
            snapshot.restoreInto(params, optimizer, schedule, rng, batcher, state, spikes, regression);
            monitor.rewindTo(snapshot.step());
            snapshots.removeIf(s -> s.step() > snapshot.step());
            if (snapshots.isEmpty()) {
                snapshots.addLast(snapshot);
            }
            if (best != null && best.step() >= snapshot.step()) {
                best = null;
                bestScore = Double.POSITIVE_INFINITY;
            }
            startScoring(snapshot);
        }
        regression.rebase(); // the state rolled back to is the new baseline
        clipAlarm.reset();
        monitor.change(step, "lr_scale", before, policy.lrScale(), kind.words());
        return action;
    }

    /**
     * Whether the last healthy step's {@link #checkTrend} is still to come: true while a checkpoint is
     * written between a step and its trend check (validation checkpoints are), false after a stop.
     */
    public boolean trendDue() {
        return enabled && trendDue;
    }

    /** A resumed run's first action: the trend check of the step its checkpoint was written before (see {@link #trendDue}). */
    public void deferTrend(double normBefore, double threshold) {
        deferredTrend = new double[] {normBefore, threshold};
        trendDue = true;
    }

    /** The {normBefore, threshold} a resumed run must run {@link #checkTrend} with before its first step, once; or null. */
    public double[] takeDeferredTrend() {
        double[] t = deferredTrend;
        deferredTrend = null;
        return enabled ? t : null;
    }

    public LossRegressionDetector regression() {
        return regression;
    }

    public PersistentClipDetector clipAlarm() {
        return clipAlarm;
    }

    /** {bestVal, valAbove} for the checkpoint. */
    public double[] validationState() {
        return new double[] {bestVal, valAbove};
    }

    public void restoreValidation(double[] s) {
        bestVal = s[0];
        valAbove = (int) s[1];
    }

    public long snapshotStep() {
        return snapshot.step();
    }

    public long snapshotTokens() {
        return snapshot.tokensSeen();
    }

    public double lrScale() {
        return policy.lrScale();
    }

    public double clipScale() {
        return policy.clipScale();
    }

    public int rollbacks() {
        return policy.rollbacks();
    }

    public int skips() {
        return policy.skips();
    }

    public RecoveryPolicy policy() {
        return policy;
    }

    public LossSpikeDetector spikes() {
        return spikes;
    }
}
