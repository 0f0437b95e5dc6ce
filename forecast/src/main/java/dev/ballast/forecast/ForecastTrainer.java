package dev.ballast.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.InputException;
import dev.ballast.engine.Rng;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.training.Trainer;
import dev.ballast.training.TrainingListener;
import dev.ballast.training.checkpoint.CheckpointStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Trains a {@link Forecaster} on the shared {@link Trainer}: the same loop, clipping, regularization,
 * stability guard and monitor, checkpoints and exact resume as the language models. Every
 * {@code evalEvery} steps the model forecasts the validation part from several origins and a checkpoint is
 * written; the checkpoint with the lowest validation MAE is the model returned (early stopping by
 * selection, never by peeking at the hold-out).
 *
 * <pre>{@code
 * ForecastTrainer.Result r = ForecastTrainer.train(y, covariates, List.of(), "airline.csv", split, config,
 *         Path.of("runs/airline"), null, null);
 * }</pre>
 */
public final class ForecastTrainer {

    /**
     * @param forecaster the model at its best validation step
     * @param residuals  [origin][h] actual - forecast on the validation part (NaN past its end)
     * @param stability  the stability summary (clipped_fraction, nonfinite_steps, rollbacks, max_grad_norm, incidents)
     * @param trained    the trainer's own result (steps, throughput, whether it was stopped)
     */
    public record Result(Forecaster forecaster, long bestStep, double bestValidMae, double lastLoss,
                         double seconds, double[][] residuals, ObjectNode stability, Trainer.Result trained) {
    }

    private ForecastTrainer() {
    }

    /**
     * Trains a new forecaster into {@code runDir} (null: a temporary directory, deleted after).
     *
     * @param started called with the trainer before it runs (e.g. to stop it on Ctrl-C); may be null
     */
    public static Result train(double[] y, double[][] covariates, List<String> covariateNames, String source,
                               HoldoutSplit split, ForecastConfig c, Path runDir, TrainingListener listener,
                               Consumer<Trainer<ForecastTask>> started) {
        SeriesEncoding encoding = SeriesEncoding.fit(y, covariates, split.trainEnd(), c, source);
        checkMemory(c, encoding.features());
        Forecaster forecaster = Forecaster.create(c, encoding, covariateNames);
        Rng rng = new Rng(c.seed());
        forecaster.network().initialize(rng.split());
        ForecastTask task = new ForecastTask(forecaster, y, covariates, split, source);
        return inDirectory(runDir, dir -> new Trainer<>(ForecastTask.settings(c), task, dir, listener), started);
    }

    /**
     * Continues a forecaster run from its latest checkpoint (or the given checkpoint directory) on the same
     * series, exactly where it stopped.
     *
     * @param overrides changes to the saved configuration the caller allows (more steps)
     */
    public static Result resume(Path checkpoint, double[] y, double[][] covariates, String source,
                                UnaryOperator<ForecastConfig> overrides, TrainingListener listener,
                                Consumer<Trainer<ForecastTask>> started) {
        Path dir = CheckpointStore.resolveResume(checkpoint);
        Forecaster saved = ForecasterFiles.load(dir);
        ForecastConfig c = overrides.apply(saved.config());
        JsonNode json = ForecasterFiles.readJson(dir);
        JsonNode expected = json.path("metrics").path("data_fingerprint");
        if (expected.isNumber() && expected.asDouble() != fingerprint(y)) {
            throw InputException.naming("the series " + source + " is not the one " + dir
                    + " was trained on; {resume} needs the same {data} and {column}");
        }
        Forecaster f = Forecaster.create(c, saved.encoding(), saved.covariateNames());
        copy(saved.network().parameters(), f.network().parameters());
        HoldoutSplit split = HoldoutSplit.of(y.length, c.horizon(), c.validation(), c.minTrainPoints());
        ForecastTask task = new ForecastTask(f, y, covariates, split, source);
        Path runDir = dir.toAbsolutePath().getParent().getParent();
        return inDirectory(runDir, d -> new Trainer<>(ForecastTask.settings(c), task, d, listener).resumeFrom(dir),
                started);
    }

    /** The network's parameters and a window batch's work space, against the heap, before anything is allocated. */
    static void checkMemory(ForecastConfig c, int features) {
        long p = dev.ballast.engine.ResourceLimits.recurrentParameters(c.cell().gates(), features, c.hidden(), c.layers(), "lower --hidden");
        long outputs = c.strategy() == Strategy.DIRECT ? c.horizon() : 1;
        p = dev.ballast.engine.ResourceLimits.addOrMax(p, dev.ballast.engine.ResourceLimits.multiplyOrMax(c.hidden() + 1L, outputs));
        long rows = dev.ballast.engine.ResourceLimits.multiplyOrMax(c.batch(), c.lookback() + (long) c.horizon());
        long work = dev.ballast.engine.ResourceLimits.multiplyOrMax(rows,
                dev.ballast.engine.ResourceLimits.multiplyOrMax(c.layers(), 2L * c.cell().gates() * c.hidden() + 6L * c.hidden()));
        dev.ballast.engine.ResourceLimits.checkHeap("the forecaster (" + String.format(java.util.Locale.ROOT, "%,d", p)
                + " parameters)", dev.ballast.engine.ResourceLimits.trainingBytes(p, work), "lower --hidden, --layers or --batch");
    }

    private interface TrainerFactory {
        Trainer<ForecastTask> create(Path runDir);
    }

    private static Result inDirectory(Path runDir, TrainerFactory factory, Consumer<Trainer<ForecastTask>> started) {
        boolean temporary = runDir == null;
        try {
            Path dir = temporary ? Files.createTempDirectory("ballast-forecast-") : runDir;
            try {
                Trainer<ForecastTask> trainer = factory.create(dir);
                if (started != null) {
                    started.accept(trainer);
                }
                return finish(trainer, trainer.run(), dir);
            } finally {
                if (temporary) {
                    CheckpointStore.deleteRecursively(dir);
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot use a working directory for training: " + dev.ballast.engine.io.FileErrors.describe(e));
        }
    }

    /** The run's best checkpoint becomes the model; its validation residuals calibrate the intervals. */
    private static Result finish(Trainer<ForecastTask> trainer, Trainer.Result r, Path runDir) {
        ForecastTask task = trainer.task();
        Path best = CheckpointStore.resolveModel(runDir);
        JsonNode metrics = ForecasterFiles.readJson(best).path("metrics");
        copy(ForecasterFiles.load(best).network().parameters(), task.parameters());
        double[][] residuals = task.residuals();
        return new Result(task.forecaster(), metrics.path("step").asLong(),
                metrics.path("val_mae").asDouble(Double.NaN), r.trainLoss(), r.seconds(), residuals,
                trainer.stabilitySummary(), r);
    }

    private static void copy(List<Parameter> from, List<Parameter> to) {
        if (from.size() != to.size()) {
            throw new CheckpointException("the checkpoint holds " + from.size() + " tensors, the model needs " + to.size());
        }
        for (int i = 0; i < from.size(); i++) {
            System.arraycopy(from.get(i).value(), 0, to.get(i).value(), 0, to.get(i).size());
        }
    }

    /**
     * A fingerprint of the series values (FNV-1a over their bits, 53 bits so a JSON number holds it exactly),
     * saved with every checkpoint so that a resume on other data is refused.
     */
    static double fingerprint(double[] y) {
        long h = 0xcbf29ce484222325L;
        for (double v : y) {
            h = (h ^ Double.doubleToLongBits(v)) * 0x100000001b3L;
        }
        return (double) (h >>> 11);
    }
}
