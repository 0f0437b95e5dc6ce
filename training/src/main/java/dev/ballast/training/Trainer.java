package dev.ballast.training;

import dev.ballast.engine.ConfigException;
import dev.ballast.engine.Rng;
import dev.ballast.lm.Evaluation;
import dev.ballast.lm.Evaluator;
import dev.ballast.lm.TrainingConfig;
import dev.ballast.lm.TrainingData;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.TbpttBatcher;
import dev.ballast.lm.generate.Sampler;
import dev.ballast.lm.generate.SamplingOptions;
import dev.ballast.lm.generate.TextGenerator;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import dev.ballast.lm.ModelFiles;
import dev.ballast.training.model.Provenance;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.lm.RecurrentState;
import dev.ballast.engine.optim.ClipResult;
import dev.ballast.engine.optim.Clippers;
import dev.ballast.engine.optim.GradientClipper;
import dev.ballast.engine.optim.LearningRateSchedule;
import dev.ballast.engine.optim.Optimizer;
import dev.ballast.engine.optim.Optimizers;
import dev.ballast.engine.optim.Regularizer;
import dev.ballast.engine.optim.MaxNormConstraint;
import dev.ballast.engine.optim.Schedules;
import dev.ballast.training.stability.Incident;
import dev.ballast.training.stability.StabilityGuard;
import dev.ballast.training.stability.StabilityMonitor;
import dev.ballast.training.stability.StabilityReport;
import dev.ballast.training.stability.StabilityState;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one training loop. It owns the order of things in a step — batch, forward, loss, backward,
 * regularize, clip, optimizer step, report — and when to validate, sample and checkpoint; models,
 * optimizers, clippers and schedules plug into it (as in Tribuo's {@code AbstractSGDTrainer}).
 *
 * <pre>{@code
 * Trainer trainer = Trainer.start(config, Path.of("runs/shakespeare"), listener);
 * Trainer.Result result = trainer.run();
 * }</pre>
 *
 * Everything random comes from seeded {@link Rng}s whose state is checkpointed, and the data cursor
 * and carried hidden state are saved too, so {@link #resume} continues exactly where a run stopped.
 */
public final class Trainer {

    /** What a finished (or stopped) run achieved. */
    public record Result(long steps, double trainLoss, Evaluation validation, double tokensPerSecond,
                         double seconds, Path runDir, boolean stopped) {
    }

    private final TrainingConfig config;
    private final TrainingData data;
    private final LanguageModel model;
    private final List<Parameter> params;
    private final Optimizer optimizer;
    private GradientClipper clipper; // rebuilt with a tighter threshold after a rollback
    private final Regularizer regularizer;
    private final LearningRateSchedule schedule;
    private final TbpttBatcher batcher;
    private final RecurrentState state;
    private final Rng dropoutRng;
    private final CheckpointStore store;
    private final Provenance provenance;
    private final long totalSteps;
    private final TrainingListener listener;
    private final boolean resumed;
    private final StabilityMonitor monitor;
    private final StabilityGuard guard;
    private final MaxNormConstraint maxNorm; // null when --max-norm is 0

    private long step;
    private double bestValLoss = Double.NaN;
    private long tokensSeen;
    private volatile boolean stopRequested;

    private final String kernelsName;

    private Trainer(TrainingConfig config, TrainingData data, LanguageModel model, Kernels kernels, Path runDir,
                    TrainingListener listener, boolean resumed) {
        this.kernelsName = kernels.name();
        this.config = config;
        this.data = data;
        this.model = model;
        this.params = model.parameters();
        this.optimizer = Optimizers.create(config.optimizer(), config.optimizerSettings());
        this.optimizer.setKernels(kernels);
        this.clipper = Clippers.create(config.clip(), config.clipNorm(), config.clipValue(), config.clipPercentile(),
                config.clipRatio());
        this.clipper.setKernels(kernels);
        this.regularizer = new Regularizer(config.l2(), config.l1(), config.l2Biases(), orNaN(config.l2Input()),
                orNaN(config.l2Recurrent()), orNaN(config.l2Bias()));
        this.batcher = new TbpttBatcher(data.train(), config.batch(), config.seq(), false);
        this.totalSteps = config.steps() > 0 ? config.steps()
                : config.epochs() > 0 ? (long) config.epochs() * batcher.windowsPerEpoch()
                : TrainingConfig.DEFAULT_STEPS;
        this.schedule = Schedules.parse(config.lrSchedule(), config.lr(), totalSteps);
        this.state = new RecurrentState(model.config(), config.batch());
        this.dropoutRng = new Rng(config.seed() ^ 0x5DEECE66DL);
        this.store = new CheckpointStore(runDir);
        this.provenance = Provenance.here(kernelsName, data.source(), data.sha256(),
                data.train().length, data.valid().length);
        this.listener = listener == null ? new TrainingListener() { } : listener;
        this.resumed = resumed;
        this.monitor = new StabilityMonitor(model, config.diagnoseEvery());
        this.guard = new StabilityGuard(config.recoveryOn(), StabilityGuard.Rules.of(config), monitor, model,
                optimizer, schedule, dropoutRng, batcher, state);
        this.maxNorm = config.maxNorm() > 0 ? new MaxNormConstraint(config.maxNorm()) : null;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** A new run: reads the corpus, fits the tokenizer, initialises the model from the seed. */
    public static Trainer start(TrainingConfig config, Path runDir, TrainingListener listener) {
        TrainingData data = TrainingData.load(config);
        Kernels kernels = KernelProvider.best(config.threads());
        ModelConfig mc = new ModelConfig(CellType.parse(config.cell()), data.tokenizer().vocabulary().size(),
                config.embed(), config.hidden(), config.layers(), config.dropout(), config.tieWeights(),
                config.residual());
        LanguageModel model = new LanguageModel(mc, kernels);
        model.initialize(new Rng(config.seed()), config.initialization());
        return new Trainer(config, data, model, kernels, runDir, listener, false);
    }

    /**
     * Continues a run from its latest checkpoint.
     *
     * @param checkpoint a run directory or one checkpoint directory
     * @param overrides  changes to the saved configuration the caller allows (more steps, threads, ...)
     * @param runDir     where new checkpoints go; null to keep using the run the checkpoint belongs to
     */
    public static Trainer resume(Path checkpoint, UnaryOperator<TrainingConfig> overrides, Path runDir,
                                 TrainingListener listener) {
        Path dir = CheckpointStore.resolveResume(checkpoint);
        TrainedModel saved = ModelFiles.load(dir, KernelProvider.scalar());
        if (saved.training() == null) {
            throw new CheckpointException(dir + " has no training configuration; it cannot be resumed");
        }
        TrainingConfig config = overrides.apply(saved.training());
        TrainingData data = TrainingData.load(config, saved.tokenizer());
        if (saved.provenance() != null && !saved.provenance().corpusSha256().isEmpty()
                && !saved.provenance().corpusSha256().equals(data.sha256())) {
            throw new ConfigException("the corpus " + data.source() + " changed since " + dir
                    + " was written (its SHA-256 differs); resume needs the same text");
        }
        LanguageModel model = saved.network();
        Kernels kernels = KernelProvider.best(config.threads());
        model.setKernels(kernels);
        Path target = runDir != null ? runDir : dir.toAbsolutePath().getParent().getParent();
        Trainer t = new Trainer(config, data, model, kernels, target, listener, true);
        TrainingCheckpoint cp = TrainingCheckpoint.load(dir, model.config().layers(), model.config().cell() == CellType.LSTM);
        t.restore(cp);
        StabilityState.load(dir, t.guard, t.monitor, t.clipper);
        // The series so far live in the stability.json of the run the checkpoint belongs to.
        StabilityReport.resumeInto(dir.toAbsolutePath().getParent().getParent(), t.monitor, t.step);
        t.clipper = t.scaledClipper();
        if (t.totalSteps <= t.step) {
            throw new ConfigException("the run in " + dir + " is at step " + t.step
                    + " already; give --steps above " + t.step + " (or more --epochs) to train further");
        }
        return t;
    }

    private void restore(TrainingCheckpoint cp) {
        step = cp.step();
        optimizer.restore(cp.optimizerSlots(), cp.optimizerSteps());
        schedule.restore(cp.schedule());
        dropoutRng.restore(cp.dropoutRng());
        batcher.seek(cp.dataPosition());
        for (int l = 0; l < state.layers(); l++) {
            copyState(cp.stateH()[l], state.h(l), "h", l);
            if (state.c(l) != null) {
                copyState(cp.stateC()[l], state.c(l), "c", l);
            }
        }
        bestValLoss = cp.bestValLoss();
        tokensSeen = cp.tokensSeen();
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

    public TrainingConfig config() {
        return config;
    }

    /** The token streams and tokenizer this run trains on. */
    public TrainingData data() {
        return data;
    }

    public LanguageModel model() {
        return model;
    }

    public long totalSteps() {
        return totalSteps;
    }

    /** What the stability monitor saw so far (per-step history, diagnostics, incidents). */
    public StabilityMonitor monitor() {
        return monitor;
    }

    /** The short stability summary: clipped_fraction, nonfinite_steps, rollbacks, max_grad_norm, incidents. */
    public ObjectNode stabilitySummary() {
        return monitor.summary(guard.rollbacks());
    }

    /** Trains until {@code totalSteps} or a stop request, validating and checkpointing on the way. */
    public Result run() {
        int seq = config.seq();
        int batch = config.batch();
        int[] x = new int[seq * batch];
        int[] y = new int[seq * batch];
        listener.onStart(new TrainingListener.RunSummary(step, totalSteps, model.parameterCount(),
                model.config().vocabSize(), data.train().length, data.valid().length, data.validUnknown(),
                kernelsName, store.runDir(), resumed));
        long trainNanos = 0;
        long tokensThisRun = 0;
        long started = System.nanoTime();
        double lastLoss = Double.NaN;
        Evaluation lastEval = null;
        long evaluatedAt = -1;
        guard.snapshot(step, tokensSeen);
        while (step < totalSteps && !stopRequested) {
            long t0 = System.nanoTime();
            if (batcher.epochStartsNext()) {
                state.zero(); // a new pass over the data starts from a fresh state, as the reference does
            }
            int epoch = batcher.epoch();
            long position = batcher.position();
            if (guard.skipNext()) {
                batcher.next(x, y); // quarantined by an incident before a rollback: the replay leaves it out
                continue;
            }
            batcher.next(x, y);
            if (monitor.diagnoseDue(step)) {
                monitor.diagnose(step, x, y, seq, batch, state);
            }
            guard.beforeForward();
            model.zeroGrad();
            float loss = model.forward(x, y, seq, batch, state, true, dropoutRng);
            Incident.Kind problem = guard.checkForward(loss);
            ClipResult clip = null;
            double penalty = 0;
            if (problem == null) {
                model.backward();
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
                continue;
            }
            step++;
            tokensSeen += (long) seq * batch;
            guard.healthy(step, tokensSeen, loss);
            tokensThisRun += (long) seq * batch;
            trainNanos += System.nanoTime() - t0;
            lastLoss = loss;
            listener.onStep(new TrainingListener.StepReport(step, totalSteps, loss, clip.normBefore(), clip.clipped(),
                    lr, tokensThisRun / (trainNanos * 1e-9), epoch));
            if (config.evalEvery() > 0 && step % config.evalEvery() == 0 && step < totalSteps) {
                lastEval = validateAndSave();
                evaluatedAt = step;
            }
            Incident.Kind trend = guard.checkTrend(clip.normBefore(), StabilityMonitor.thresholdOf(clipper));
            if (trend != null) {
                recoverTrend(trend, trend == Incident.Kind.LOSS_REGRESSION ? guard.regressionAverage() : clip.normBefore());
            }
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

    /** Skips or rolls back per the recovery policy, or fails the run when recovery is off or exhausted. */
    private void recover(Incident.Kind kind, float loss, ClipResult clip, long position) {
        double value = kind == Incident.Kind.NONFINITE_GRADIENT && clip != null ? clip.normBefore() : loss;
        Incident.Action action = guard.recover(step + 1, kind, value, position);
        listener.onIncident(step + 1, kind.words() + " (" + value + "); " + switch (action) {
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
                    default -> kind.words() + " (" + value + ")";
                };
                throw diverged(what + (guard.enabled() ? " and " + guard.rollbacks() + " rollbacks did not help" : ""));
            }
        }
    }

    /** A slow trend after step {@code step} went through: halve the rate, after a rollback for a loss regression. */
    private void recoverTrend(Incident.Kind kind, double value) {
        Incident.Action action = guard.recover(step, kind, value, -1);
        listener.onIncident(step, kind.words() + " (" + value + "); " + switch (action) {
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

    /** The configured clipper with its thresholds scaled by the recovery (AutoClip adapts by itself). */
    private GradientClipper scaledClipper() {
        double s = guard.clipScale();
        if (s == 1 || clipper instanceof dev.ballast.engine.optim.AutoClipper) {
            return clipper;
        }
        return Clippers.create(config.clip(), config.clipNorm() * s, config.clipValue() * s, config.clipPercentile(),
                config.clipRatio() * s);
    }

    private void writeStabilityReport() {
        StabilityReport.write(store.runDir(), monitor, guard, batcher, config);
    }

    private TrainingDivergedException diverged(String what) {
        String kept = store.latest().map(p -> " The last good checkpoint is " + p + ".").orElse("");
        return new TrainingDivergedException(step, "training diverged at step " + (step + 1) + ": " + what
                + "." + kept + " Try a lower --lr (now " + config.lr() + ") or a smaller --clip-norm."
                + " 'ballast diagnose " + store.runDir() + "' explains what was seen.");
    }

    /** Validates, samples, and checkpoints (marking the checkpoint best when validation improved). */
    private Evaluation validateAndSave() {
        Evaluation eval = Evaluator.evaluate(model, data.valid(), config.evalBatch(), config.seq());
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
        if (config.sampleLength() > 0) {
            // Its own RNG, derived from the seed and step: sampling never disturbs training's random stream.
            Sampler sampler = new Sampler(new SamplingOptions(0.8, 0, 1.0), new Rng(config.seed() * 31 + step));
            listener.onSample(step, new TextGenerator(model, data.tokenizer()).generate("", config.sampleLength(), sampler, null));
        }
        saveCheckpoint(eval, best);
        return eval;
    }

    /** @param eval this checkpoint's validation, or null when it was not validated */
    private void saveCheckpoint(Evaluation eval, boolean best) {
        ObjectNode metrics = JsonNodeFactory.instance.objectNode();
        metrics.put("step", step);
        metrics.put("tokens_seen", tokensSeen);
        if (eval != null) {
            metrics.put("val_loss", eval.loss());
            metrics.put("val_perplexity", eval.perplexity());
            metrics.put("val_bits_per_token", eval.bitsPerToken());
            metrics.put("val_tokens", eval.tokens());
        }
        metrics.set("stability", stabilitySummary());
        Path staged = store.stage(step);
        ModelFiles.save(new TrainedModel(model, data.tokenizer(), config, provenance, metrics), staged);
        new TrainingCheckpoint(step, optimizer.steps(), optimizer.state(), schedule.state(), dropoutRng.state(),
                batcher.position(), hidden(), cells(), bestValLoss, tokensSeen).save(staged, optimizer.name());
        StabilityState.save(staged, guard, monitor, clipper);
        Path committed = store.commit(staged, step, best, eval == null ? Double.NaN : eval.loss());
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
