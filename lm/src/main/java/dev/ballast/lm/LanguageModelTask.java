package dev.ballast.lm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.Batches;
import dev.ballast.corpora.TbpttBatcher;
import dev.ballast.engine.InputException;
import dev.ballast.engine.ResourceLimits;
import dev.ballast.engine.Rng;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import dev.ballast.lm.generate.Sampler;
import dev.ballast.lm.generate.SamplingOptions;
import dev.ballast.training.Trainer;
import dev.ballast.training.TrainingListener;
import dev.ballast.training.TrainingTask;
import dev.ballast.training.Validation;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.model.Provenance;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A language model and its token streams as a {@link TrainingTask}: truncated BPTT windows of
 * {@code --batch} parallel streams, the hidden state carried from one window to the next, validation by
 * mean cross-entropy, and a text sample at each validation.
 *
 * <pre>{@code
 * Trainer<LanguageModelTask> trainer = LanguageModelTask.start(config, Path.of("runs/shakespeare"), null);
 * Trainer.Result result = trainer.run();
 * }</pre>
 */
public final class LanguageModelTask extends TokenWindowTask {

    private final TrainingConfig config;
    private final TrainingData data;
    private final TbpttBatcher batcher;
    private final Provenance provenance;

    private LanguageModelTask(TrainingConfig config, TrainingData data, LanguageModel model) {
        super(model, config.seq(), config.batch());
        this.config = config;
        this.data = data;
        this.batcher = new TbpttBatcher(data.train(), config.batch(), config.seq(), false);
        this.provenance = Provenance.here(model.kernels().name(), data.source(), data.sha256(),
                data.train().length, data.valid().length);
    }

    /** A new run: reads the corpus, fits the tokenizer, initialises the model from the seed. */
    public static Trainer<LanguageModelTask> start(TrainingConfig config, Path runDir, TrainingListener listener) {
        ResourceLimits.checkThreads("--threads", config.threads());
        TrainingData data = TrainingData.load(config);
        // Sizes and memory before the model is allocated: one line instead of an overflow or OutOfMemoryError.
        ModelSize.checkTraining(config, data.tokenizer().vocabulary().size());
        Kernels kernels = KernelProvider.best(config.threads());
        ModelConfig mc = new ModelConfig(config.cell(), data.tokenizer().vocabulary().size(),
                config.embed(), config.hidden(), config.layers(), config.dropout(), config.tieWeights(),
                config.residual());
        LanguageModel model = new LanguageModel(mc, kernels);
        model.initialize(new Rng(config.seed()), config.initialization());
        LanguageModelTask task = new LanguageModelTask(config, data, model);
        return new Trainer<>(config.trainerSettings(task.batcher.windowsPerEpoch()), task, runDir, listener);
    }

    /**
     * Continues a run from its latest checkpoint.
     *
     * @param checkpoint a run directory or one checkpoint directory
     * @param overrides  changes to the saved configuration the caller allows (more steps, threads, ...)
     * @param runDir     where new checkpoints go; null to keep using the run the checkpoint belongs to
     */
    public static Trainer<LanguageModelTask> resume(Path checkpoint, UnaryOperator<TrainingConfig> overrides,
                                                    Path runDir, TrainingListener listener) {
        Path dir = CheckpointStore.resolveResume(checkpoint);
        TrainedModel saved = ModelFiles.load(dir, KernelProvider.scalar());
        if (saved.training() == null) {
            throw new CheckpointException(dir + " has no training configuration; it cannot be resumed");
        }
        TrainingConfig config = overrides.apply(saved.training());
        ResourceLimits.checkThreads("--threads", config.threads());
        TrainingData data = TrainingData.load(config, saved.tokenizer());
        if (saved.provenance() != null && !saved.provenance().corpusSha256().isEmpty()
                && !saved.provenance().corpusSha256().equals(data.sha256())) {
            throw new InputException("the corpus " + data.source() + " changed since " + dir
                    + " was written (its SHA-256 differs); resume needs the same text");
        }
        LanguageModel model = saved.network();
        model.setKernels(KernelProvider.best(config.threads()));
        LanguageModelTask task = new LanguageModelTask(config, data, model);
        Path target = runDir != null ? runDir : dir.toAbsolutePath().getParent().getParent();
        return new Trainer<>(config.trainerSettings(task.batcher.windowsPerEpoch()), task, target, listener)
                .resumeFrom(dir);
    }

    public TrainingConfig config() {
        return config;
    }

    /** The token streams and tokenizer this run trains on. */
    public TrainingData data() {
        return data;
    }

    @Override
    public String kind() {
        return "language model";
    }

    @Override
    public Batches batches() {
        return batcher;
    }

    @Override
    public void nextBatch() {
        batcher.next(x, y);
    }

    @Override
    public Validation validate() {
        return Evaluator.evaluate(model, data.valid(), config.evalBatch(), config.seq());
    }

    @Override
    public String sample(long step) {
        if (config.sampleLength() <= 0) {
            return null;
        }
        // Its own RNG, derived from the seed and step: sampling never disturbs training's random stream.
        Sampler sampler = new Sampler(new SamplingOptions(0.8, 0, 1.0), new Rng(config.seed() * 31 + step));
        return new TextGenerator(model, data.tokenizer()).generate("", config.sampleLength(), sampler, null);
    }

    @Override
    public void saveModel(Path dir, ObjectNode metrics) {
        ModelFiles.save(new TrainedModel(model, data.tokenizer(), config, provenance, metrics), dir);
    }

    @Override
    public long trainSize() {
        return data.train().length;
    }

    @Override
    public long validSize() {
        return data.valid().length;
    }

    @Override
    public long validUnknown() {
        return data.validUnknown();
    }
}
