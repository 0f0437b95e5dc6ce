package dev.ballast.cli;

import dev.ballast.lm.Evaluation;
import dev.ballast.lm.LanguageModelTask;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.InputException;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.InitScheme;
import dev.ballast.engine.optim.ClipMode;
import dev.ballast.engine.optim.OptimizerKind;
import dev.ballast.lm.TokenLevel;
import dev.ballast.lm.VocabScope;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.training.Recovery;
import dev.ballast.training.Trainer;
import dev.ballast.lm.TrainingConfig;
import dev.ballast.lm.TrainingData;
import dev.ballast.lm.ModelFiles;
import dev.ballast.training.stability.Finding;
import dev.ballast.training.stability.Findings;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.checkpoint.RunDirectory;
import dev.ballast.training.checkpoint.RunLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ballast train}: maps flags onto {@link TrainingConfig} and runs the {@link Trainer}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = ConfigDefaults.class,
        description = {"Train a recurrent language model on a text corpus.",
                "Tokens are characters (--level char, the default) or words from a Lucene",
                "analyzer (--level word); the network is an LSTM or a vanilla RNN (--cell). With",
                "no options it trains a 2x256 LSTM on the characters of the built-in corpus into",
                "a new directory runs/DATE-TIME, with runs/latest pointing to the newest run.",
                "The run directory also gets stability.json, charts/ and report.html, which",
                "'ballast diagnose' explains."},
        footer = {"", "Examples:",
                "  ballast train --corpus tinyshakespeare --steps 600 --out runs/shakespeare",
                "  ballast train --resume runs/shakespeare --steps 1200",
                "  ballast train --corpus my.txt --cell rnn-tanh --hidden 512 --layers 1 --json"})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // data
    @Option(names = "--corpus", paramLabel = "PATH|NAME", description = "Text file, directory of files (sorted by name), corpus name under $BALLAST_CORPORA, 'builtin', or several of these separated by commas, read in the order given (default: ${DEFAULT-VALUE}).")
    String corpus;
    @Option(names = "--valid", paramLabel = "PATH", description = "Separate validation text (instead of --valid-fraction).")
    String valid;
    @Option(names = "--valid-fraction", paramLabel = "F", description = "Share of the corpus, taken from its end, used for validation (default: ${DEFAULT-VALUE}).")
    double validFraction;
    @Option(names = "--replace-malformed", description = "Replace invalid UTF-8 with U+FFFD instead of failing.")
    boolean replaceMalformed;
    @Option(names = {"--unknown-policy", "--unknown"}, paramLabel = "POLICY", description = "Characters not in the vocabulary at evaluation or generation: replace (with <unk>), skip or error; with --level word unknown words always become <unk> (default: ${DEFAULT-VALUE}).")
    String unknownPolicy;
    @Option(names = "--level", paramLabel = "LEVEL", description = "Tokens are characters (char) or words from a Lucene analyzer (word) (default: ${DEFAULT-VALUE}).")
    String level;
    @Option(names = "--analyzer", paramLabel = "SPEC", description = "With --level word: a preset (lm, standard, whitespace, classic, simple, english, french, ...) or a chain like tokenizer=standard|filter=lowercase (default: ${DEFAULT-VALUE}).")
    String analyzer;
    @Option(names = "--min-freq", paramLabel = "N", description = "With --level word: words seen fewer times in the training split become <unk> (default: ${DEFAULT-VALUE}).")
    int minFreq;
    @Option(names = "--max-vocab", paramLabel = "N", description = "With --level word: keep at most N symbols (<unk> and <eos> included), most frequent first; 0 = no limit (default: ${DEFAULT-VALUE}).")
    int maxVocab;
    // architecture
    @Option(names = "--cell", paramLabel = "CELL", description = "lstm, rnn-tanh or rnn-relu (default: ${DEFAULT-VALUE}).")
    String cell;
    @Option(names = "--layers", paramLabel = "N", description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;
    @Option(names = "--hidden", paramLabel = "N", description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--embed", paramLabel = "N", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int embed;
    @Option(names = "--dropout", paramLabel = "P", description = "Dropout on each recurrent layer's output while training (default: ${DEFAULT-VALUE}).")
    float dropout;
    @Option(names = "--init", paramLabel = "SCHEME", description = "Recurrent weights: uniform (as PyTorch: between -k and k, k = 1/sqrt of the hidden size), orthogonal, or identity (IRNN, Le et al. 2015) (default: ${DEFAULT-VALUE}).")
    String init;
    @Option(names = "--init-scale", paramLabel = "X", description = "Multiplier on the initial recurrent weights (default: ${DEFAULT-VALUE}).")
    double initScale;
    @Option(names = "--forget-bias", paramLabel = "X", description = "Initial LSTM forget-gate bias; 1 favours long memory (default: ${DEFAULT-VALUE}).")
    float forgetBias;
    @Option(names = "--vocab-scope", paramLabel = "SCOPE", description = "Words the vocabulary is built from: train (the training split) or corpus (all of it, as some reference scripts do; for comparisons only) (default: ${DEFAULT-VALUE}).")
    String vocabScope;
    @Option(names = "--tie-weights", description = "Share the embedding table with the output projection (needs --embed equal to --hidden).")
    boolean tieWeights;
    // batching
    @Option(names = "--seq", paramLabel = "N", description = "Truncated-BPTT window: time steps per update (default: ${DEFAULT-VALUE}).")
    int seq;
    @Option(names = "--batch", paramLabel = "N", description = "Parallel streams per update (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--steps", paramLabel = "N", description = "Total optimizer steps, at least 1 (with --resume: the new total). Default " + TrainingConfig.DEFAULT_STEPS + " unless --epochs is given.")
    Long steps;
    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training split, at least 1 (instead of --steps).")
    Integer epochs;
    // optimisation
    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, adam, adamw, rmsprop or adagrad (default: ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float lr;
    @Option(names = "--lr-schedule", paramLabel = "SPEC", description = "constant, cosine[:WARMUP], step:EVERY:GAMMA or plateau[:FACTOR[:PATIENCE]] (default: ${DEFAULT-VALUE}).")
    String lrSchedule;
    @Option(names = "--momentum", paramLabel = "X", description = "Momentum for sgd and rmsprop (default: ${DEFAULT-VALUE}).")
    double momentum;
    @Option(names = "--nesterov", description = "Nesterov momentum for sgd.")
    boolean nesterov;
    @Option(names = "--clip", paramLabel = "MODE", description = "Gradient clipping: global-norm, layer-norm, tensor-norm, value, auto (AutoClip percentile), agc (unit-wise, relative to weights) or none (default: ${DEFAULT-VALUE}).")
    String clip;
    @Option(names = "--clip-norm", paramLabel = "X", description = "Norm threshold for global-norm and tensor-norm clipping (default: ${DEFAULT-VALUE}).")
    double clipNorm;
    @Option(names = "--clip-value", paramLabel = "X", description = "Element threshold for value clipping; given without --clip it selects value clipping (default: ${DEFAULT-VALUE}).")
    double clipValue;
    @Option(names = "--clip-percentile", paramLabel = "P", description = "auto clipping: percentile of recent gradient norms used as the threshold (default: ${DEFAULT-VALUE}).")
    double clipPercentile;
    @Option(names = "--clip-ratio", paramLabel = "X", description = "agc clipping: largest gradient-to-weight norm ratio per unit (default: ${DEFAULT-VALUE}).")
    double clipRatio;
    @Option(names = "--l2", paramLabel = "X", description = "L2 penalty coefficient; biases excluded unless --l2-biases (default: ${DEFAULT-VALUE}).")
    double l2;
    @Option(names = "--l2-biases", description = "Apply --l2 and --l1 to biases too.")
    boolean l2Biases;
    @Option(names = "--l1", paramLabel = "X", description = "L1 penalty coefficient (default: ${DEFAULT-VALUE}).")
    double l1;
    @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled weight decay, any optimizer (adamw defaults to 0.01).")
    Double weightDecay;
    @Option(names = "--l2-input", paramLabel = "X", description = "L2 coefficient for input weights (default: --l2).")
    Double l2Input;
    @Option(names = "--l2-recurrent", paramLabel = "X", description = "L2 coefficient for recurrent weights (default: --l2).")
    Double l2Recurrent;
    @Option(names = "--l2-bias", paramLabel = "X", description = "L2 coefficient for biases (default: --l2 with --l2-biases, else 0).")
    Double l2Bias;
    @Option(names = "--max-norm", paramLabel = "X", description = "Max-norm constraint on each unit's recurrent weights, 0 = off (default: ${DEFAULT-VALUE}).")
    double maxNorm;
    // stability
    @Option(names = "--recovery", paramLabel = "on|off", description = "On a NaN or a loss spike, skip the update or roll back and retry with a lower rate, instead of failing (default: ${DEFAULT-VALUE}).")
    String recovery;
    @Option(names = "--spike-factor", paramLabel = "X", description = "A loss above X times its moving average is a spike (default: ${DEFAULT-VALUE}).")
    double spikeFactor;
    @Option(names = "--max-retries", paramLabel = "N", description = "Rollbacks allowed before the run fails (default: ${DEFAULT-VALUE}).")
    int maxRetries;
    @Option(names = "--diagnose-every", paramLabel = "N", description = "Spectral norms, gate statistics and gradient reach-back every N steps, 0 = never (default: ${DEFAULT-VALUE}).")
    int diagnoseEvery;
    @Option(names = "--regress-tolerance", paramLabel = "X", description = "A 20-step loss average more than X (relative) above its best is a regression (default: ${DEFAULT-VALUE}).")
    double regressTolerance;
    @Option(names = "--regress-patience", paramLabel = "N", description = "...held for N steps rolls back to the best snapshot with half the rate; 0 = off (default: ${DEFAULT-VALUE}).")
    int regressPatience;
    @Option(names = "--val-tolerance", paramLabel = "X", description = "Validation loss more than X (relative) above its best at 2 validations in a row halves the rate (default: ${DEFAULT-VALUE}).")
    double valTolerance;
    @Option(names = "--clip-alarm-factor", paramLabel = "X", description = "A gradient norm over X times the clip threshold in most of the last --clip-alarm-window steps halves the rate (default: ${DEFAULT-VALUE}).")
    double clipAlarmFactor;
    @Option(names = "--clip-alarm-window", paramLabel = "N", description = "Steps the persistent-clipping rule looks back over; 0 = off (default: ${DEFAULT-VALUE}).")
    int clipAlarmWindow;
    @Option(names = "--recurrent-bound", paramLabel = "X", description = "A vanilla RNN recurrent matrix with spectral norm above X while gradients explode is scaled to norm 1; 0 = off (default: ${DEFAULT-VALUE}).")
    double recurrentBound;
    @Option(names = "--residual", description = "Add each layer's input to its output from layer 1 up (needs --layers 2 or more).")
    boolean residual;
    // bookkeeping
    @Option(names = "--seed", paramLabel = "N", description = "Seed for initialisation, dropout and samples (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", paramLabel = "N", description = "Compute threads, 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--eval-every", paramLabel = "N", description = "Validate, sample and checkpoint every N steps; 0 = only at the end (default: ${DEFAULT-VALUE}).")
    int evalEvery;
    @Option(names = "--eval-batch", paramLabel = "N", description = "Parallel streams when validating (default: ${DEFAULT-VALUE}).")
    int evalBatch;
    @Option(names = "--sample-length", paramLabel = "N", description = "Tokens (characters or words) sampled at each validation, 0 = none (default: ${DEFAULT-VALUE}).")
    int sampleLength;
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory for checkpoints; one that holds a run is refused without --overwrite (default: a new runs/DATE-TIME, linked as runs/latest; with --resume, the resumed run).")
    Path out;
    @Option(names = "--overwrite", description = "Replace the run in --out: its checkpoints, pointers and report are deleted once the new run has started.")
    boolean overwrite;
    @Option(names = "--resume", paramLabel = "DIR", description = "Continue a run (its directory or a checkpoint) exactly where it stopped.")
    Path resume;
    @Option(names = "--json", description = "Print one JSON object with the results on stdout; progress goes to stderr.")
    boolean json;

    /** Flags that may change when resuming; everything else is fixed by the checkpoint. */
    private static final Set<String> RESUMABLE = Set.of("--steps", "--epochs", "--threads", "--eval-every",
            "--eval-batch", "--sample-length", "--out", "--resume", "--json", "--help", "--version");

    @Override
    public Integer call() {
        ProgressPrinter progress = new ProgressPrinter(spec.commandLine().getErr(), System.console() != null);
        Trainer<LanguageModelTask> trainer = resume != null ? resume(progress) : start(progress);
        if (trainer.task().config().wordLevel()) {
            TrainingData d = trainer.task().data();
            spec.commandLine().getErr().printf(Locale.ROOT,
                    "word vocabulary: %,d symbols from the training split (analyzer %s, min-freq %d, max-vocab %d); "
                            + "OOV rate: train %.3f%% (%,d), validation %.3f%% (%,d)%n",
                    d.tokenizer().vocabulary().size(), trainer.task().config().analyzer(), trainer.task().config().minFreq(),
                    trainer.task().config().maxVocab(), 100 * d.trainOovRate(), d.trainUnknown(),
                    100 * d.validOovRate(), d.validUnknown());
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = Interrupts.onShutdown(trainer::requestStop, done);
        Trainer.Result result;
        try {
            result = trainer.run();
        } finally {
            progress.finish();
            done.countDown();
            Interrupts.remove(hook);
        }
        if (json) {
            spec.commandLine().getOut().println(ModelFiles.toJson(toJson(result, trainer)).strip());
        } else {
            progress.summary(result);
            for (Finding f : Findings.of(trainer.monitor(), trainer.task().config().seq())) {
                spec.commandLine().getErr().println("stability: " + f.line());
            }
        }
        if (result.stopped()) {
            spec.commandLine().getErr().println("stopped at step " + result.steps() + "; continue with: ballast train --resume " + result.runDir());
            return BallastCommand.EXIT_INTERRUPTED;
        }
        return 0;
    }

    /** The link naming the newest run started without --out. */
    static final String LATEST = "latest";

    private Trainer<LanguageModelTask> resume(ProgressPrinter progress) {
        Path from = RunLink.follow(resume);
        if (out != null) {
            Path resumedRun = CheckpointStore.resolveResume(from).toAbsolutePath().getParent().getParent();
            if (!sameDirectory(out, resumedRun)) {
                RunDirectory.refuseExisting(out, "train", "ballast train --resume " + out);
            }
        }
        return LanguageModelTask.resume(from, this::applyResumeOverrides, out, progress);
    }

    /**
     * A new run: into --out when given (refused when it holds a run, unless --overwrite), else into a new
     * runs/DATE-TIME that runs/latest then points to. Nothing is created or moved before the flags, the
     * corpus and the model's size have passed their checks.
     */
    private Trainer<LanguageModelTask> start(ProgressPrinter progress) {
        TrainingConfig config = toConfig();
        Path dir = out != null ? out : RunDirectory.fresh(DefaultRuns.root(), "");
        RunDirectory.Replaced old = null;
        if (out != null) {
            if (overwrite) {
                old = RunDirectory.setAside(out);
            } else {
                RunDirectory.refuseExisting(out, "train", "ballast train --resume " + out);
            }
        }
        Trainer<LanguageModelTask> trainer;
        try {
            trainer = LanguageModelTask.start(config, dir, progress);
        } catch (RuntimeException | Error e) {
            if (old != null) {
                old.restore();
            }
            throw e;
        }
        if (old != null && old.any()) {
            old.delete();
            spec.commandLine().getErr().println("replaced the earlier run in " + out + " (--overwrite)");
        }
        if (out == null) {
            Path link = DefaultRuns.root().resolve(LATEST);
            Path moved = RunDirectory.link(link, dir);
            if (moved != null) {
                spec.commandLine().getErr().println("moved the earlier run in " + link + " to " + moved
                        + "; " + link + " now points to " + dir);
            }
        }
        return trainer;
    }

    static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static ObjectNode toJson(Trainer.Result r, Trainer<LanguageModelTask> trainer) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("steps", r.steps());
        n.put("train_loss", r.trainLoss());
        if (r.validation() instanceof Evaluation v) {
            n.put("val_loss", v.loss());
            n.put("val_perplexity", v.perplexity());
            n.put("val_bits_per_token", v.bitsPerToken());
            n.put("val_tokens", v.tokens());
        }
        n.put("tokens_per_second", Math.round(r.tokensPerSecond() * 10) / 10.0);
        n.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        n.put("parameters", trainer.task().model().parameterCount());
        if (trainer.task().config().wordLevel()) {
            n.put("vocabulary", trainer.task().data().tokenizer().vocabulary().size());
            n.put("train_oov_rate", trainer.task().data().trainOovRate());
            n.put("valid_oov_rate", trainer.task().data().validOovRate());
        }
        n.put("run_dir", r.runDir().toString());
        n.put("stopped", r.stopped());
        n.set("stability", trainer.stabilitySummary());
        return n;
    }

    private TrainingConfig applyResumeOverrides(TrainingConfig saved) {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        for (CommandLine.Model.OptionSpec o : pr.matchedOptions()) {
            if (!RESUMABLE.contains(o.longestName())) {
                throw new InputException(o.longestName() + " cannot be combined with --resume: a resumed run keeps its configuration"
                        + " (only " + String.join(", ", List.of("--steps", "--epochs", "--threads", "--eval-every", "--sample-length", "--out")) + " may change)");
            }
        }
        TrainingConfig.Builder b = saved.toBuilder();
        if (steps != null || epochs != null) {
            b.steps(steps).epochs(epochs); // the new length replaces the saved one; both given is refused
        }
        if (pr.hasMatchedOption("--threads")) {
            b.threads(threads);
        }
        if (pr.hasMatchedOption("--eval-every")) {
            b.evalEvery(evalEvery);
        }
        if (pr.hasMatchedOption("--eval-batch")) {
            b.evalBatch(evalBatch);
        }
        if (pr.hasMatchedOption("--sample-length")) {
            b.sampleLength(sampleLength);
        }
        return b.build();
    }

    TrainingConfig toConfig() {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        BallastCommand.notBoth(pr, "--valid", "--valid-fraction");
        // Giving only a value threshold means value clipping.
        ClipMode clipMode = pr.hasMatchedOption("--clip-value") && !pr.hasMatchedOption("--clip")
                ? ClipMode.VALUE : ClipMode.parse(clip);
        return TrainingConfig.builder()
                .corpus(corpus).valid(valid).validFraction(validFraction).replaceMalformed(replaceMalformed)
                .unknownPolicy(UnknownPolicy.parse(unknownPolicy))
                .cell(CellType.parse(cell)).layers(layers).hidden(hidden).embed(embed).dropout(dropout)
                .init(InitScheme.parse(init)).initScale(initScale).forgetBias(forgetBias)
                .seq(seq).batch(batch).steps(steps).epochs(epochs)
                .optimizer(OptimizerKind.parse(optimizer)).lr(lr).lrSchedule(lrSchedule).momentum(momentum).nesterov(nesterov)
                .clip(clipMode).clipNorm(clipNorm).clipValue(clipValue).l2(l2).l1(l1).l2Biases(l2Biases)
                .weightDecay(weightDecay)
                .clipPercentile(clipPercentile).clipRatio(clipRatio).l2Input(l2Input).l2Recurrent(l2Recurrent)
                .l2Bias(l2Bias).maxNorm(maxNorm).recovery(Recovery.parse(recovery)).spikeFactor(spikeFactor).maxRetries(maxRetries)
                .diagnoseEvery(diagnoseEvery)
                .regressTolerance(regressTolerance).regressPatience(regressPatience).valTolerance(valTolerance)
                .clipAlarmFactor(clipAlarmFactor).clipAlarmWindow(clipAlarmWindow).residual(residual).recurrentBound(recurrentBound)
                .seed(seed).threads(threads).evalEvery(evalEvery).evalBatch(evalBatch).sampleLength(sampleLength)
                .level(TokenLevel.parse(level)).analyzer(analyzer).minFreq(minFreq).maxVocab(maxVocab).tieWeights(tieWeights)
                .vocabScope(VocabScope.parse(vocabScope))
                .build();
    }
}
