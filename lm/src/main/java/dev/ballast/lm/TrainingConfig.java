package dev.ballast.lm;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.tokenizer.word.AnalyzerSpec;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.InitScheme;
import dev.ballast.engine.nn.Initialization;
import dev.ballast.engine.io.ZeroIsUnset;
import dev.ballast.engine.optim.ClipMode;
import dev.ballast.engine.optim.Clippers;
import dev.ballast.engine.optim.OptimizerKind;
import dev.ballast.engine.optim.OptimizerSettings;
import dev.ballast.engine.optim.Regularizer;
import dev.ballast.engine.optim.Schedules;
import dev.ballast.training.Recovery;
import dev.ballast.training.TrainerSettings;
import dev.ballast.training.stability.StabilityGuard;

/**
 * Everything that defines a training run: data, architecture, optimisation and bookkeeping.
 * Immutable; built with {@link #builder()} and validated in one place ({@link Builder#build()}),
 * where every message names the field by its snake_case JSON name and says the allowed range (front ends
 * spell the field their own way: the CLI as its flag). The CLI maps flags onto the builder and adds
 * nothing; the same object is stored in every checkpoint (snake_case JSON, one flat object). Every choice
 * is an enum ({@link CellType}, {@link InitScheme}, {@link OptimizerKind}, {@link ClipMode}, {@link Recovery},
 * {@link TokenLevel}, {@link VocabScope}, {@link UnknownPolicy}) that JSON holds as the lowercase id older
 * releases wrote as a string, so their models and checkpoints still load and resume.
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder()
 *         .corpus("tinyshakespeare").cell(CellType.LSTM).layers(2).hidden(256)
 *         .steps(600).seed(1).build();
 * }</pre>
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonDeserialize(builder = TrainingConfig.Builder.class)
public record TrainingConfig(
        // data
        String corpus, String valid, double validFraction, boolean replaceMalformed, UnknownPolicy unknownPolicy,
        // architecture
        CellType cell, int layers, int hidden, int embed, float dropout, InitScheme init, double initScale, float forgetBias,
        // batching
        int seq, int batch, Long steps, Integer epochs,
        // optimisation
        OptimizerKind optimizer, float lr, double momentum, boolean nesterov, Double weightDecay,
        ClipMode clip, double clipNorm, double clipValue, double l2, double l1, boolean l2Biases,
        String lrSchedule,
        // bookkeeping
        long seed, int threads, int evalEvery, int evalBatch, int sampleLength,
        // stability (see dev.ballast.training.stability)
        Recovery recovery, double spikeFactor, int maxRetries, int diagnoseEvery, double clipPercentile,
        double clipRatio, Double l2Input, Double l2Recurrent, Double l2Bias, double maxNorm,
        // word level (level "char" ignores analyzer, minFreq, maxVocab)
        TokenLevel level, String analyzer, int minFreq, int maxVocab, boolean tieWeights, VocabScope vocabScope,
        // slow-degradation rules (see dev.ballast.training.stability.StabilityGuard) and residual stacking
        double regressTolerance, int regressPatience, double valTolerance, double clipAlarmFactor,
        int clipAlarmWindow, boolean residual, double recurrentBound) {

    /** Steps trained when neither {@code steps} nor {@code epochs} is given. */
    public static final long DEFAULT_STEPS = 500;

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to change a few of them. */
    public Builder toBuilder() {
        return new Builder()
                .corpus(corpus).valid(valid).validFraction(validFraction).replaceMalformed(replaceMalformed)
                .unknownPolicy(unknownPolicy)
                .cell(cell).layers(layers).hidden(hidden).embed(embed).dropout(dropout)
                .init(init).initScale(initScale).forgetBias(forgetBias)
                .seq(seq).batch(batch).steps(steps).epochs(epochs)
                .optimizer(optimizer).lr(lr).momentum(momentum).nesterov(nesterov).weightDecay(weightDecay)
                .clip(clip).clipNorm(clipNorm).clipValue(clipValue).l2(l2).l1(l1).l2Biases(l2Biases)
                .lrSchedule(lrSchedule)
                .seed(seed).threads(threads).evalEvery(evalEvery).evalBatch(evalBatch).sampleLength(sampleLength)
                .recovery(recovery).spikeFactor(spikeFactor).maxRetries(maxRetries).diagnoseEvery(diagnoseEvery)
                .clipPercentile(clipPercentile).clipRatio(clipRatio)
                .l2Input(l2Input).l2Recurrent(l2Recurrent).l2Bias(l2Bias).maxNorm(maxNorm)
                .level(level).analyzer(analyzer).minFreq(minFreq).maxVocab(maxVocab).tieWeights(tieWeights)
                .vocabScope(vocabScope)
                .regressTolerance(regressTolerance).regressPatience(regressPatience).valTolerance(valTolerance)
                .clipAlarmFactor(clipAlarmFactor).clipAlarmWindow(clipAlarmWindow).residual(residual)
                .recurrentBound(recurrentBound);
    }

    /** Whether the stability monitor may skip, roll back and retry instead of failing ({@code recovery on}). */
    public boolean recoveryOn() {
        return recovery.on();
    }

    /** Whether tokens are words (a Lucene analyzer) rather than characters. */
    public boolean wordLevel() {
        return level == TokenLevel.WORD;
    }

    public Initialization initialization() {
        return new Initialization(init, initScale, forgetBias);
    }

    /** The steps a run of this config trains, given the windows in one pass over its training data. */
    public long totalSteps(int windowsPerEpoch) {
        return steps != null ? steps : epochs != null ? (long) epochs * windowsPerEpoch : DEFAULT_STEPS;
    }

    /** The training loop's part of this config, for a run over data of {@code windowsPerEpoch} windows. */
    public TrainerSettings trainerSettings(int windowsPerEpoch) {
        return new TrainerSettings(totalSteps(windowsPerEpoch), seed, optimizer, lr, optimizerSettings(), lrSchedule,
                clip, clipNorm, clipValue, clipPercentile, clipRatio,
                new Regularizer(l2, l1, l2Biases, orNaN(l2Input), orNaN(l2Recurrent), orNaN(l2Bias)), maxNorm,
                recoveryOn(), rules(), diagnoseEvery, evalEvery);
    }

    /** The stability rules' thresholds. */
    public StabilityGuard.Rules rules() {
        return new StabilityGuard.Rules(spikeFactor, maxRetries, regressTolerance, regressPatience, valTolerance,
                clipAlarmFactor, clipAlarmWindow, recurrentBound);
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    public OptimizerSettings optimizerSettings() {
        OptimizerSettings.Builder b = OptimizerSettings.builder().momentum(momentum).nesterov(nesterov);
        if (weightDecay != null) {
            b.weightDecay(weightDecay);
        }
        return b.build();
    }

    /** Builder with the defaults of the reference configuration (2×256 LSTM, Adam 2e-3, clip 5). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private String corpus = "builtin";
        private String valid;
        private double validFraction = 0.1;
        private boolean replaceMalformed;
        private UnknownPolicy unknownPolicy = UnknownPolicy.REPLACE;
        private CellType cell = CellType.LSTM;
        private int layers = 2;
        private int hidden = 256;
        private int embed = 64;
        private float dropout;
        private InitScheme init = Initialization.DEFAULT.recurrent();
        private double initScale = Initialization.DEFAULT.scale();
        private float forgetBias = Initialization.DEFAULT.forgetBias();
        private int seq = 64;
        private int batch = 32;
        private Long steps;     // null: epochs, or DEFAULT_STEPS
        private Integer epochs; // null: steps, or DEFAULT_STEPS
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private float lr = 2e-3f;
        private double momentum;
        private boolean nesterov;
        private Double weightDecay;
        private ClipMode clip = ClipMode.GLOBAL_NORM;
        private double clipNorm = 5.0;
        private double clipValue = 1.0;
        private double l2;
        private double l1;
        private boolean l2Biases;
        private String lrSchedule = "constant";
        private long seed = 1;
        private int threads;
        private int evalEvery = 100;
        private int evalBatch = 10;
        private int sampleLength = 200;
        private Recovery recovery = Recovery.ON;
        private double spikeFactor = 3.0;
        private int maxRetries = 8;
        private int diagnoseEvery = 100;
        private double clipPercentile = Clippers.DEFAULT_PERCENTILE;
        private double clipRatio = Clippers.DEFAULT_RATIO;
        private Double l2Input;
        private Double l2Recurrent;
        private Double l2Bias;
        private double maxNorm;
        private TokenLevel level = TokenLevel.CHAR;
        private String analyzer = "lm";
        private int minFreq = 1;
        private int maxVocab;
        private boolean tieWeights;
        private VocabScope vocabScope = VocabScope.TRAIN;
        private double regressTolerance = 0.1;
        private int regressPatience = 10;
        private double valTolerance = 0.01;
        private double clipAlarmFactor = 5.0;
        private int clipAlarmWindow = 50;
        private boolean residual;
        private double recurrentBound = 1.5;

        public Builder corpus(String v) { corpus = v; return this; }
        public Builder valid(String v) { valid = v; return this; }
        public Builder validFraction(double v) { validFraction = v; return this; }
        public Builder replaceMalformed(boolean v) { replaceMalformed = v; return this; }
        public Builder unknownPolicy(UnknownPolicy v) { unknownPolicy = v; return this; }
        public Builder cell(CellType v) { cell = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder embed(int v) { embed = v; return this; }
        public Builder dropout(float v) { dropout = v; return this; }
        public Builder init(InitScheme v) { init = v; return this; }
        public Builder forgetBias(float v) { forgetBias = v; return this; }
        public Builder seq(int v) { seq = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        /** Total optimizer steps, at least 1 (with {@code epochs}: an error). */
        @JsonIgnore
        public Builder steps(long v) { steps = v; return this; }
        /** Total optimizer steps, or null for {@code epochs} or the default; files of earlier releases say 0 for null. */
        @JsonProperty("steps")
        @JsonDeserialize(using = ZeroIsUnset.AsLong.class)
        public Builder steps(Long v) { steps = v; return this; }
        /** Passes over the training split, at least 1 (with {@code steps}: an error). */
        @JsonIgnore
        public Builder epochs(int v) { epochs = v; return this; }
        /** Passes over the training split, or null for {@code steps} or the default; earlier releases wrote 0 for null. */
        @JsonProperty("epochs")
        @JsonDeserialize(using = ZeroIsUnset.AsInt.class)
        public Builder epochs(Integer v) { epochs = v; return this; }
        public Builder optimizer(OptimizerKind v) { optimizer = v; return this; }
        public Builder lr(float v) { lr = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        public Builder weightDecay(Double v) { weightDecay = v; return this; }
        public Builder clip(ClipMode v) { clip = v; return this; }
        public Builder clipNorm(double v) { clipNorm = v; return this; }
        public Builder clipValue(double v) { clipValue = v; return this; }
        public Builder l2(double v) { l2 = v; return this; }
        public Builder l1(double v) { l1 = v; return this; }
        public Builder l2Biases(boolean v) { l2Biases = v; return this; }
        public Builder lrSchedule(String v) { lrSchedule = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder evalBatch(int v) { evalBatch = v; return this; }
        public Builder sampleLength(int v) { sampleLength = v; return this; }
        public Builder recovery(Recovery v) { recovery = v; return this; }
        public Builder spikeFactor(double v) { spikeFactor = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder diagnoseEvery(int v) { diagnoseEvery = v; return this; }
        public Builder clipPercentile(double v) { clipPercentile = v; return this; }
        public Builder clipRatio(double v) { clipRatio = v; return this; }
        public Builder l2Input(Double v) { l2Input = v; return this; }
        public Builder l2Recurrent(Double v) { l2Recurrent = v; return this; }
        public Builder l2Bias(Double v) { l2Bias = v; return this; }
        public Builder maxNorm(double v) { maxNorm = v; return this; }
        public Builder initScale(double v) { initScale = v; return this; }
        public Builder level(TokenLevel v) { level = v; return this; }
        public Builder analyzer(String v) { analyzer = v; return this; }
        public Builder minFreq(int v) { minFreq = v; return this; }
        public Builder maxVocab(int v) { maxVocab = v; return this; }
        public Builder tieWeights(boolean v) { tieWeights = v; return this; }
        public Builder vocabScope(VocabScope v) { vocabScope = v; return this; }
        public Builder regressTolerance(double v) { regressTolerance = v; return this; }
        public Builder regressPatience(int v) { regressPatience = v; return this; }
        public Builder valTolerance(double v) { valTolerance = v; return this; }
        public Builder clipAlarmFactor(double v) { clipAlarmFactor = v; return this; }
        public Builder clipAlarmWindow(int v) { clipAlarmWindow = v; return this; }
        public Builder residual(boolean v) { residual = v; return this; }
        public Builder recurrentBound(double v) { recurrentBound = v; return this; }

        /**
         * Validates every field; the first problem found is thrown as an {@link InputException} naming the
         * field by its JSON name ({@code clip_norm must be > 0, got -1.0}).
         */
        public TrainingConfig build() {
            require(corpus != null && !corpus.isBlank(), "corpus", "must name a file, a directory or a corpus");
            require(validFraction >= 0 && validFraction < 1, "valid_fraction", "must be in [0, 1), got " + validFraction);
            require(valid != null || validFraction > 0, "valid_fraction", "must be above 0 when no {valid} file is given");
            set("unknown_policy", unknownPolicy);
            set("cell", cell);
            positive("layers", layers);
            positive("hidden", hidden);
            positive("embed", embed);
            require(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout);
            set("init", init);
            new Initialization(init, initScale, forgetBias);
            positive("seq", seq);
            positive("batch", batch);
            // An explicit 0 is refused rather than read as "the default": leave the field out for that.
            require(steps == null || steps >= 1, "steps",
                    "must be at least 1, got " + steps + " (leave it out for " + DEFAULT_STEPS + " steps)");
            require(epochs == null || epochs >= 1, "epochs", "must be at least 1, got " + epochs);
            if (steps != null && epochs != null) {
                throw InputException.naming("give {steps} or {epochs}, not both");
            }
            require(lr > 0 && Float.isFinite(lr), "lr", "must be a positive number, got " + lr);
            set("optimizer", optimizer);
            toSettings();
            set("clip", clip);
            Clippers.create(clip, clipNorm, clipValue, clipPercentile, clipRatio);
            require(l2 >= 0, "l2", "must be at least 0, got " + l2);
            require(l1 >= 0, "l1", "must be at least 0, got " + l1);
            // The spec's syntax; with epochs the total (and so a warm-up's bound) is known only with the data.
            Schedules.parse(lrSchedule, lr, steps != null ? steps : epochs != null ? Long.MAX_VALUE : DEFAULT_STEPS);
            require(threads >= 0, "threads", "must be at least 0 (0 = one per core), got " + threads);
            require(evalEvery >= 0, "eval_every", "must be at least 0 (0 = only at the end), got " + evalEvery);
            positive("eval_batch", evalBatch);
            require(sampleLength >= 0, "sample_length", "must be at least 0, got " + sampleLength);
            set("recovery", recovery);
            require(spikeFactor > 1 && Double.isFinite(spikeFactor), "spike_factor",
                    "must be a number above 1, got " + spikeFactor);
            require(maxRetries >= 0, "max_retries", "must be at least 0, got " + maxRetries);
            require(diagnoseEvery >= 0, "diagnose_every", "must be at least 0 (0 = never), got " + diagnoseEvery);
            optionalNonNegative("l2_input", l2Input);
            optionalNonNegative("l2_recurrent", l2Recurrent);
            optionalNonNegative("l2_bias", l2Bias);
            require(maxNorm >= 0 && Double.isFinite(maxNorm), "max_norm", "must be at least 0 (0 = off), got " + maxNorm);
            set("level", level);
            if (level == TokenLevel.WORD) {
                require(analyzer != null, "analyzer", "must name a preset or a chain with {level} word");
                userInput("analyzer", () -> AnalyzerSpec.parse(analyzer));
                require(unknownPolicy == UnknownPolicy.REPLACE, "unknown_policy",
                        "must be replace with {level} word (unknown words become <unk>), got '" + unknownPolicy.id() + "'");
            }
            positive("min_freq", minFreq);
            require(maxVocab == 0 || maxVocab >= 3, "max_vocab",
                    "must be 0 (no limit) or at least 3 (<unk>, <eos> and a word), got " + maxVocab);
            set("vocab_scope", vocabScope);
            require(vocabScope == VocabScope.TRAIN || valid == null, "vocab_scope",
                    "corpus takes the validation part from {valid_fraction}, not {valid}");
            require(!tieWeights || embed == hidden, "tie_weights",
                    "needs {embed} equal to {hidden}, got {embed} " + embed + " and {hidden} " + hidden);
            require(regressTolerance > 0 && Double.isFinite(regressTolerance), "regress_tolerance",
                    "must be a positive number, got " + regressTolerance);
            require(regressPatience >= 0, "regress_patience", "must be at least 0 (0 = off), got " + regressPatience);
            require(valTolerance >= 0 && Double.isFinite(valTolerance), "val_tolerance",
                    "must be at least 0, got " + valTolerance);
            require(clipAlarmFactor >= 1 && Double.isFinite(clipAlarmFactor), "clip_alarm_factor",
                    "must be a number of at least 1, got " + clipAlarmFactor);
            require(clipAlarmWindow >= 0, "clip_alarm_window", "must be at least 0 (0 = off), got " + clipAlarmWindow);
            require(recurrentBound == 0 || recurrentBound >= 1 && Double.isFinite(recurrentBound), "recurrent_bound",
                    "must be 0 (off) or a number of at least 1, got " + recurrentBound);
            require(!residual || layers >= 2, "residual",
                    "adds each layer's input to its output from layer 1 up, so it needs {layers} 2 or more, got " + layers);
            return new TrainingConfig(corpus, valid, validFraction, replaceMalformed, unknownPolicy,
                    cell, layers, hidden, embed, dropout, init, initScale, forgetBias, seq, batch, steps, epochs,
                    optimizer, lr, momentum, nesterov, weightDecay, clip, clipNorm, clipValue, l2, l1, l2Biases,
                    lrSchedule, seed, threads, evalEvery, evalBatch, sampleLength,
                    recovery, spikeFactor, maxRetries, diagnoseEvery, clipPercentile, clipRatio,
                    l2Input, l2Recurrent, l2Bias, maxNorm,
                    level, analyzer, minFreq, maxVocab, tieWeights, vocabScope,
                    regressTolerance, regressPatience, valTolerance, clipAlarmFactor, clipAlarmWindow, residual, recurrentBound);
        }

        private OptimizerSettings toSettings() {
            OptimizerSettings.Builder b = OptimizerSettings.builder().momentum(momentum).nesterov(nesterov);
            if (weightDecay != null) {
                b.weightDecay(weightDecay);
            }
            return b.build();
        }

        /** Runs a parser of {@code field}'s value; an IllegalArgumentException it throws becomes an InputException. */
        private static void userInput(String field, Runnable parse) {
            try {
                parse.run();
            } catch (InputException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw InputException.field(field, ": " + e.getMessage());
            }
        }

        private static void set(String field, Object value) {
            require(value != null, field, "must be set");
        }

        private static void optionalNonNegative(String field, Double value) {
            require(value == null || (value >= 0 && Double.isFinite(value)), field, "must be at least 0, got " + value);
        }

        private static void positive(String field, long value) {
            require(value >= 1, field, "must be at least 1, got " + value);
        }

        private static void require(boolean ok, String field, String problem) {
            if (!ok) {
                throw InputException.field(field, problem);
            }
        }
    }
}
