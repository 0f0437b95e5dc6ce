package dev.ballast.training;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.Batches;
import dev.ballast.engine.InputException;
import dev.ballast.engine.Rng;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.engine.optim.ClipResult;
import dev.ballast.engine.optim.GradientClipper;
import dev.ballast.engine.optim.LearningRateSchedule;
import dev.ballast.engine.optim.MaxNormConstraint;
import dev.ballast.engine.optim.Optimizer;
import dev.ballast.engine.optim.Optimizers;
import dev.ballast.engine.optim.Regularizer;
import dev.ballast.engine.optim.Schedules;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.stability.Incident;
import dev.ballast.training.stability.StabilityGuard;
import dev.ballast.training.stability.StabilityMonitor;
import dev.ballast.training.stability.StabilityReport;
import dev.ballast.training.stability.StabilityState;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The one training loop, for every kind of model. It owns the order of things in a step — batch,
 * forward, loss, backward, regularize, clip, optimizer step, report — and when to validate, sample and
 * checkpoint; the model and its data plug in as a {@link TrainingTask}, and optimizers, clippers and
 * schedules come from the {@link TrainerSettings} (as in Tribuo's {@code AbstractSGDTrainer}).
 *
 * <pre>{@code
 * Trainer<LanguageModelTask> trainer = LanguageModelTask.start(config, Path.of("runs/shakespeare"), listener);
 * Trainer.Result result = trainer.run();
 * }</pre>
 *
 * Everything random comes from seeded {@link Rng}s whose state is checkpointed, and the data cursor
 * and carried state are saved too, so a resumed run ({@link #resumeFrom}) continues exactly where it stopped.
 *
 * @param <T> the kind of model and data trained
 */
public final class Trainer<T extends TrainingTask> {

    /** What a finished (or stopped) run achieved. */
    public record Result(long steps, double trainLoss, Validation validation, double tokensPerSecond,
                         double seconds, Path runDir, boolean stopped) {
    }

    private final TrainerSettings settings;
    private final T task;
    private final List<Parameter> params;
    private final Optimizer optimizer;
    private GradientClipper clipper; // rebuilt with a tighter threshold after a rollback
    private final Regularizer regularizer;
    private final LearningRateSchedule schedule;
    private final Batches batches;
    private final RecurrentState state;
    private final Rng dropoutRng;
    private final CheckpointStore store;
    private final TrainingListener listener;
    private final StabilityMonitor monitor;
    private final StabilityGuard guard;
    private final MaxNormConstraint maxNorm; // null when --max-norm is 0
    private boolean resumed;

    private long step;
    private double bestValLoss = Double.NaN;
    private long tokensSeen;
    private volatile boolean stopRequested;

    /** A new run of {@code task} (its model already initialised) into {@code runDir}. */
    public Trainer(TrainerSettings settings, T task, Path runDir, TrainingListener listener) {
        this.settings = settings;
        this.task = task;
        this.params = task.parameters();
        this.optimizer = Optimizers.create(settings.optimizer(), settings.optimizerSettings());
        this.optimizer.setKernels(task.kernels());
        this.clipper = settings.clipper(1, task.kernels());
        this.regularizer = settings.regularizer();
        this.batches = task.batches();
        this.schedule = Schedules.parse(settings.lrSchedule(), settings.lr(), settings.steps());
        this.state = task.state();
        this.dropoutRng = new Rng(settings.seed() ^ 0x5DEECE66DL);
        this.store = new CheckpointStore(runDir);
        this.listener = listener == null ? new TrainingListener() { } : listener;
        this.monitor = new StabilityMonitor(params, task.recurrentLayers(), task.kernels(), settings.diagnoseEvery());
        this.guard = new StabilityGuard(settings.recovery(), settings.rules(), monitor, params, task.recurrentLayers(),
                optimizer, schedule, dropoutRng, batches, state);
        this.maxNorm = settings.maxNorm() > 0 ? new MaxNormConstraint(settings.maxNorm()) : null;
    }

    /**
     * Continues from a checkpoint written by a run of the same task: the step, optimizer, schedule, RNG,
     * data cursor, carried state, stability state, and the per-step series of the run's stability.json.
     * The model's weights must already be the checkpoint's.
     *
     * @param checkpointDir one checkpoint directory ({@code checkpoints/step-N})
     */
    public Trainer<T> resumeFrom(Path checkpointDir) {
        TrainingCheckpoint cp = TrainingCheckpoint.load(checkpointDir, state.layers(), state.layers() > 0 && state.c(0) != null);
        step = cp.step();
        optimizer.restore(cp.optimizerSlots(), cp.optimizerSteps());
        schedule.restore(cp.schedule());
        dropoutRng.restore(cp.dropoutRng());
        batches.seek(cp.dataPosition());
        for (int l = 0; l < state.layers(); l++) {
            copyState(cp.stateH()[l], state.h(l), "h", l);
            if (state.c(l) != null) {
                copyState(cp.stateC()[l], state.c(l), "c", l);
            }
        }
        bestValLoss = cp.bestValLoss();
        tokensSeen = cp.tokensSeen();
        StabilityState.load(checkpointDir, guard, monitor, clipper);
        // The series so far live in the stability.json of the run the checkpoint belongs to.
        StabilityReport.resumeInto(checkpointDir.toAbsolutePath().getParent().getParent(), monitor, step);
        clipper = scaledClipper();
        resumed = true;
        if (settings.steps() <= step) {
            throw InputException.naming("the run in " + checkpointDir + " is at step " + step
                    + " already; give {steps} above " + step + " (or more {epochs}) to train further");
        }
        return this;
    }

    private static void copyState(float[] from, float[] to, String what, int layer) {
        if (from.length != to.length) {
            throw new CheckpointException("carried state " + what + " of layer " + layer + " has " + from.length
                    + " values, expected " + to.length + " (was --batch changed?)");
        }
        System.arraycopy(from, 0, to, 0, to.length);
    }

    /** Asks the loop to stop after the current step and save a checkpoint (e.g. on Ctrl-C). */
    public void requestStop() {
        stopRequested = true;
    }

    /** The model and data this run trains. */
    public T task() {
        return task;
    }

    public TrainerSettings settings() {
        return settings;
    }

    public long totalSteps() {
        return settings.steps();
    }

    /** The clipper in force (rebuilt with scaled thresholds after a rollback). */
    GradientClipper clipper() {
        return clipper;
    }

    /** What the stability monitor saw so far (per-step history, diagnostics, incidents). */
    public StabilityMonitor monitor() {
        return monitor;
    }

    /** The short stability summary: clipped_fraction, nonfinite_steps, rollbacks, max_grad_norm, incidents. */
    public ObjectNode stabilitySummary() {
        return monitor.summary(guard.rollbacks());
    }

    /** Trains until the last step or a stop request, validating and checkpointing on the way. */
    public Result run() {
        long totalSteps = settings.steps();
        long perBatch = batches.predictionsPerBatch();
        listener.onStart(new TrainingListener.RunSummary(step, totalSteps, parameterCount(), task.outputs(),
                task.trainSize(), task.validSize(), task.validUnknown(), task.kernels().name(), store.runDir(),
                resumed));
        long trainNanos = 0;
        long tokensThisRun = 0;
        long started = System.nanoTime();
        double lastLoss = Double.NaN;
        Validation lastEval = null;
        long evaluatedAt = -1;
        guard.snapshot(step, tokensSeen);
        double[] deferred = guard.takeDeferredTrend();
        if (deferred != null) {
            // The checkpoint resumed from was written after its step but before that step's trend check,
            // as an uninterrupted run does it: run the check now, in the same place in the sequence.
            checkTrend(deferred[0], deferred[1]);
        }
        while (step < totalSteps && !stopRequested) {
            long t0 = System.nanoTime();
            int epoch = batches.epoch();
            Taken taken = takeStep();
            if (taken == null) {
                continue; // skipped, quarantined or rolled back: no step was taken
            }
            tokensThisRun += perBatch;
            trainNanos += System.nanoTime() - t0;
            lastLoss = taken.loss;
            listener.onStep(new TrainingListener.StepReport(step, totalSteps, taken.loss, taken.clip.normBefore(),
                    taken.clip.clipped(), taken.lr, tokensThisRun / (trainNanos * 1e-9), epoch));
            if (settings.evalEvery() > 0 && step % settings.evalEvery() == 0 && step < totalSteps) {
                lastEval = validateAndSave();
                evaluatedAt = step;
            }
            checkTrend(taken.clip.normBefore(), StabilityMonitor.thresholdOf(clipper));
        }
        if (stopRequested && step < totalSteps) {
            saveCheckpoint(null, false);
        } else if (evaluatedAt != step) {
            lastEval = validateAndSave();
        }
        writeStabilityReport();
        double seconds = (System.nanoTime() - started) * 1e-9;
        double tps = trainNanos == 0 ? 0 : tokensThisRun / (trainNanos * 1e-9);
        return new Result(step, lastLoss, lastEval, tps, seconds, store.runDir(), stopRequested && step < totalSteps);
    }

    /**
     * Trains {@code n} more steps exactly as {@link #run} does, without validating, checkpointing or
     * reporting: what {@code ballast bench} times.
     */
    public void steps(long n) {
        if (step == 0) {
            guard.snapshot(step, tokensSeen); // as run() does before its first step
        }
        long target = step + n;
        while (step < target) {
            Taken taken = takeStep();
            if (taken != null) {
                checkTrend(taken.clip.normBefore(), StabilityMonitor.thresholdOf(clipper));
            }
        }
    }

    /** A step that went through: its loss, clipping and learning rate. */
    private record Taken(float loss, ClipResult clip, double lr) {
    }

    /**
     * The order of things in one step: batch, forward, loss, backward, regularize, clip, update, and the
     * guard's checks between them. Returns null when no step was taken (a quarantined batch skipped on
     * replay, or an incident recovered from by skipping or rolling back).
     */
    private Taken takeStep() {
        if (batches.epochStartsNext()) {
            state.zero(); // a new pass over the data starts from a fresh state, as the reference does
        }
        long position = batches.position();
        if (guard.skipNext()) {
            task.nextBatch(); // quarantined by an incident before a rollback: the replay leaves it out
            return null;
        }
        task.nextBatch();
        if (monitor.diagnoseDue(step)) {
            long at = step;
            monitor.diagnose(step, afterForward -> task.reachBack(at, afterForward));
        }
        guard.beforeForward();
        task.zeroGrad();
        float loss = task.forward(true, dropoutRng);
        Incident.Kind problem = guard.checkForward(loss);
        ClipResult clip = null;
        double penalty = 0;
        if (problem == null) {
            task.backward();
            if (regularizer.active()) {
                penalty = regularizer.addGradients(params);
            }
            double norm = monitor.beforeClip();
            clip = clipper.clip(params, norm);
            problem = guard.checkGradients(loss, clip.normBefore());
        }
        double lr = schedule.rate(step) * guard.lrScale();
        if (problem == null) {
            monitor.beforeUpdate();
            optimizer.step(params, (float) lr);
            if (maxNorm != null) {
                maxNorm.apply(params);
            }
            Parameter broken = monitor.afterUpdate(step + 1, loss, clip, StabilityMonitor.thresholdOf(clipper), lr,
                    penalty);
            if (broken != null) {
                problem = guard.weightsBroke(broken);
            }
        }
        if (problem != null) {
            recover(problem, loss, clip, position);
            return null;
        }
        step++;
        tokensSeen += batches.predictionsPerBatch();
        guard.healthy(step, tokensSeen, loss);
        return new Taken(loss, clip, lr);
    }

    /** After a healthy step (and its validation): a slow trend the guard acts on. */
    private void checkTrend(double normBefore, double threshold) {
        Incident.Kind trend = guard.checkTrend(normBefore, threshold);
        if (trend != null) {
            recoverTrend(trend, trend == Incident.Kind.LOSS_REGRESSION ? guard.regressionAverage() : normBefore);
        }
    }

    /** Four significant digits for people; the full value is in stability.json. */
    private static String readable(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    private long parameterCount() {
        long n = 0;
        for (Parameter p : params) {
            n += p.size();
        }
        return n;
    }

    /** Skips or rolls back per the recovery policy, or fails the run when recovery is off or exhausted. */
    private void recover(Incident.Kind kind, float loss, ClipResult clip, long position) {
        double value = kind == Incident.Kind.NONFINITE_GRADIENT && clip != null ? clip.normBefore() : loss;
        Incident.Action action = guard.recover(step + 1, kind, value, position);
        listener.onIncident(step + 1, kind.words() + " (" + readable(value) + "); " + switch (action) {
            case SKIPPED -> "update skipped";
            case ROLLED_BACK -> "rolled back to step " + guard.snapshotStep() + ", learning rate x" + guard.lrScale();
            case LR_LOWERED, WEIGHTS_RESCALED -> "learning rate x" + guard.lrScale(); // trends: not from here
            case FAILED -> "giving up";
        });
        switch (action) {
            case SKIPPED, LR_LOWERED, WEIGHTS_RESCALED -> { }
            case ROLLED_BACK -> {
                step = guard.snapshotStep();
                tokensSeen = guard.snapshotTokens();
                clipper = scaledClipper();
            }
            case FAILED -> {
                writeStabilityReport();
                String what = switch (kind) {
                    case NONFINITE_LOSS -> "the loss became " + loss;
                    case NONFINITE_GRADIENT -> "the gradient norm became " + value;
                    default -> kind.words() + " (" + readable(value) + ")";
                };
                throw diverged(what + (guard.enabled() ? " and " + guard.rollbacks() + " rollbacks did not help" : ""));
            }
        }
    }

    /** A slow trend after step {@code step} went through: halve the rate, after a rollback for a loss regression. */
    private void recoverTrend(Incident.Kind kind, double value) {
        Incident.Action action = guard.recover(step, kind, value, -1);
        listener.onIncident(step, kind.words() + " (" + readable(value) + "); " + switch (action) {
            case WEIGHTS_RESCALED -> "recurrent matrices with spectral norm up to " + guard.lastSpectral()
                    + " scaled down to 1";
            case ROLLED_BACK -> "rolled back to step " + guard.snapshotStep() + ", learning rate x" + guard.lrScale();
            default -> "learning rate x" + guard.lrScale();
        });
        if (action == Incident.Action.ROLLED_BACK) {
            step = guard.snapshotStep();
            tokensSeen = guard.snapshotTokens();
        }
    }

    /**
     * The configured clipper with its thresholds scaled by the recovery (AutoClip adapts by itself),
     * on the task's kernels like the first one.
     */
    private GradientClipper scaledClipper() {
        double s = guard.clipScale();
        if (s == 1 || settings.adaptiveClip()) {
            return clipper;
        }
        return settings.clipper(s, task.kernels());
    }

    private void writeStabilityReport() {
        StabilityReport.write(store.runDir(), monitor, guard, batches, settings.clip());
    }

    private TrainingDivergedException diverged(String what) {
        String kept = store.latest().map(p -> " The last good checkpoint is " + p + ".").orElse("");
        return new TrainingDivergedException(step, "training diverged at step " + (step + 1) + ": " + what
                + "." + kept + " " + task.remedy(settings)
                + " 'ballast diagnose " + store.runDir() + "' explains what was seen.");
    }

    /** Validates, samples, and checkpoints (marking the checkpoint best when validation improved). */
    private Validation validateAndSave() {
        Validation eval = task.validate();
        boolean best = Double.isNaN(bestValLoss) || eval.loss() < bestValLoss;
        if (best) {
            bestValLoss = eval.loss();
        }
        listener.onEvaluation(step, eval, best);
        monitor.validation(step, eval.loss());
        Incident.Kind regressed = guard.checkValidation(eval.loss());
        if (regressed != null) {
            recoverTrend(regressed, eval.loss()); // before the save, so the checkpoint holds the lower rate
        }
        String sample = task.sample(step);
        if (sample != null) {
            listener.onSample(step, sample);
        }
        saveCheckpoint(eval, best);
        return eval;
    }

    /** @param eval this checkpoint's validation, or null when it was not validated */
    private void saveCheckpoint(Validation eval, boolean best) {
        ObjectNode metrics = JsonNodeFactory.instance.objectNode();
        metrics.put("step", step);
        metrics.put("tokens_seen", tokensSeen);
        if (eval != null) {
            for (Map.Entry<String, Number> m : eval.metrics().entrySet()) {
                if (m.getValue() instanceof Long || m.getValue() instanceof Integer) {
                    metrics.put("val_" + m.getKey(), m.getValue().longValue());
                } else {
                    metrics.put("val_" + m.getKey(), m.getValue().doubleValue());
                }
            }
        }
        metrics.set("stability", stabilitySummary());
        Path staged = store.stage(step);
        Path committed;
        try {
            task.saveModel(staged, metrics);
            new TrainingCheckpoint(step, optimizer.steps(), optimizer.state(), schedule.state(), dropoutRng.state(),
                    batches.position(), hidden(), cells(), bestValLoss, tokensSeen).save(staged, optimizer.name());
            StabilityState.save(staged, guard, monitor, clipper);
            committed = store.commit(staged, step, best, eval == null ? Double.NaN : eval.loss());
        } catch (RuntimeException | Error e) {
            store.discard(staged); // no half-written .staging-* directory stays behind
            throw e;
        }
        listener.onCheckpoint(step, committed);
        guard.snapshot(step, tokensSeen); // a rollback never goes behind a saved checkpoint
    }

    private float[][] hidden() {
        float[][] h = new float[state.layers()][];
        for (int l = 0; l < h.length; l++) {
            h[l] = state.h(l);
        }
        return h;
    }

    private float[][] cells() {
        float[][] c = new float[state.layers()][];
        for (int l = 0; l < c.length; l++) {
            c[l] = state.c(l);
        }
        return c;
    }
}
