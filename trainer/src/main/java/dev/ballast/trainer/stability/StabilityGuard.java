package dev.ballast.trainer.stability;

import dev.ballast.corpora.TbpttBatcher;
import dev.ballast.trainer.Rng;
import dev.ballast.trainer.nn.LanguageModel;
import dev.ballast.trainer.nn.Parameter;
import dev.ballast.trainer.nn.RecurrentState;
import dev.ballast.trainer.optim.LearningRateSchedule;
import dev.ballast.trainer.optim.Optimizer;

import java.util.List;

/**
 * Detects bad steps and recovers from them: the part of the stability toolkit that changes training.
 * The trainer asks it after the forward ({@link #checkForward}) and after clipping ({@link #checkGradients});
 * on an incident {@link #recover} skips the update or rolls back to the last {@link TrainingSnapshot},
 * per the {@link RecoveryPolicy}, and records the incident with the {@link StabilityMonitor}.
 * With recovery off it still detects non-finite values, and {@link #recover} answers FAILED.
 */
public final class StabilityGuard {

    /** Steps between in-memory snapshots (also taken at every checkpoint). */
    public static final int SNAPSHOT_EVERY = 10;

    private final boolean enabled;
    private final LossSpikeDetector spikes;
    private final RecoveryPolicy policy;
    private final StabilityMonitor monitor;
    private final List<Parameter> params;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final Rng rng;
    private final TbpttBatcher batcher;
    private final RecurrentState state;
    private final RecurrentState spare;
    private final dev.ballast.trainer.nn.ModelConfig modelConfig;      // the carried state before this step's forward
    private final java.util.ArrayDeque<TrainingSnapshot> snapshots = new java.util.ArrayDeque<>(); // oldest first, at most 2
    private TrainingSnapshot snapshot; // the one the last rollback went to
    private String lastLayer = "";

    public StabilityGuard(boolean enabled, double spikeFactor, int maxRetries, StabilityMonitor monitor,
                          LanguageModel model, Optimizer optimizer, LearningRateSchedule schedule, Rng rng,
                          TbpttBatcher batcher, RecurrentState state) {
        this.enabled = enabled;
        this.spikes = new LossSpikeDetector(spikeFactor);
        this.policy = new RecoveryPolicy(maxRetries);
        this.monitor = monitor;
        this.params = model.parameters();
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.rng = rng;
        this.batcher = batcher;
        this.state = state;
        this.spare = new RecurrentState(model.config(), state.batch());
        this.modelConfig = model.config();
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
            lastLayer = p == null ? "" : dev.ballast.trainer.optim.LayerNormClipper.layerOf(p);
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
        lastLayer = dev.ballast.trainer.optim.LayerNormClipper.layerOf(p);
        return Incident.Kind.NONFINITE_WEIGHTS;
    }

    /** A step went through: its loss joins the moving average; snapshot every {@link #SNAPSHOT_EVERY} steps. */
    public void healthy(long step, long tokensSeen, float loss) {
        if (!enabled) {
            return;
        }
        spikes.accept(loss);
        policy.healthy();
        if (snapshots.isEmpty() || step % SNAPSHOT_EVERY == 0) {
            snapshots.addLast(take(step, tokensSeen));
            if (snapshots.size() > 2) {
                snapshots.removeFirst();
            }
        }
    }

    /**
     * Takes the in-memory snapshot now, at the start of a run and at every checkpoint, and forgets older
     * ones: a rollback never goes behind a saved checkpoint.
     */
    public void snapshot(long step, long tokensSeen) {
        if (enabled) {
            snapshots.clear();
            snapshots.addLast(take(step, tokensSeen));
        }
    }

    private TrainingSnapshot take(long step, long tokensSeen) {
        return TrainingSnapshot.take(step, tokensSeen, params, optimizer, schedule, rng, batcher, state,
                new RecurrentState(modelConfig, state.batch()), spikes);
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
                snapshot.restoreInto(params, optimizer, schedule, rng, batcher, state, spikes);
                monitor.rewindTo(snapshot.step());
                double lr = policy.lrScale();
                monitor.change(step, "lr_scale", lr / RecoveryPolicy.BACKOFF, lr, kind.words());
                monitor.change(step, "clip_scale", policy.clipScale() / RecoveryPolicy.BACKOFF, policy.clipScale(),
                        kind.words());
            }
            case FAILED -> {
            }
        }
        return action;
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
