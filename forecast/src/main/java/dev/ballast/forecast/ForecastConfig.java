package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import dev.ballast.engine.io.ZeroIsUnset;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.optim.ClipMode;
import dev.ballast.engine.optim.OptimizerKind;
import dev.ballast.engine.optim.Schedules;

/**
 * Everything that decides a forecast, as one immutable object validated in one place
 * ({@link Builder#build()}); every message names the field by its snake_case JSON name (the CLI shows the flag). The CLI maps its flags onto the builder
 * and adds nothing. It is saved in {@code forecaster.json} as snake_case JSON, read back through the builder
 * (so a saved config is validated like a typed one).
 *
 * <p>Defaults aim at "a few minutes at most on two cores": a one-layer LSTM of 32 units, a lookback of
 * three seasons (at least 24, at most 48 steps), Adam at 3e-3 with global-norm clipping at 1 (Pascanu et al.
 * 2013), standard scaling and seasonal phase features when the season is &gt; 1.
 *
 * <pre>{@code
 * ForecastConfig c = ForecastConfig.builder().horizon(24).season(12).transform(Transform.LOG).difference(12).build();
 * }</pre>
 *
 * @param lookback       past steps the network sees (--lookback); the builder chooses three seasons within [24, 48]
 *                       when it is not given
 * @param horizon        steps held out and forecast (--horizon, H)
 * @param season         seasonal period m; 1 means none (--season)
 * @param validation     steps before the hold-out used for early stopping and intervals; null = min(H, n/5)
 * @param cell           lstm, rnn-tanh or rnn-relu (--cell)
 * @param hidden         units per recurrent layer (--hidden)
 * @param layers         stacked recurrent layers (--layers)
 * @param steps          optimizer steps (--steps)
 * @param batch          windows per step (--batch)
 * @param lr             peak learning rate (--lr), cosine-decayed to 0
 * @param optimizer      sgd, adam, adamw, rmsprop or adagrad (--optimizer)
 * @param clip           global-norm, tensor-norm, value or none (--clip)
 * @param clipNorm       clipping threshold (--clip-norm; --clip value uses it as the value bound)
 * @param l2             coupled L2 penalty on weights (--l2)
 * @param loss           mse, mae or huber (--loss)
 * @param scale          standard, minmax or mean (--scale)
 * @param transform      none or log (--transform), applied before differencing and scaling
 * @param difference     0 for none, else the lag of the difference (1 = trend, m = seasonal) (--difference)
 * @param seasonFeatures feed sin/cos of the seasonal phase as inputs (--season-features)
 * @param strategy       recursive or direct (--strategy)
 * @param interval       coverage of the prediction interval in (0, 1) (--interval)
 * @param evalEvery      steps between validation checks for early stopping
 * @param seed           seeds initialization and window sampling (--seed)
 * @param clipValue      bound of --clip value (--clip-value); null = the clip_norm value
 * @param l1             L1 penalty on weights (--l1)
 * @param weightDecay    decoupled weight decay (--weight-decay); NaN = the optimizer's default
 * @param lrSchedule     learning-rate schedule (--lr-schedule); null = cosine with a warm-up of min(100, steps/10)
 * @param recovery       the stability guard skips and rolls back bad steps instead of failing (--recovery)
 * @param diagnoseEvery  steps between spectral-norm and gate diagnoses; 0 = off
 * @param dropout        dropout on each recurrent layer's outputs in training (--dropout); 0 = none
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonDeserialize(builder = ForecastConfig.Builder.class)
public record ForecastConfig(int lookback, int horizon, int season, Integer validation, CellType cell, int hidden,
                             int layers, int steps, int batch, double lr, OptimizerKind optimizer, ClipMode clip,
                             double clipNorm, double l2, LossKind loss, ScaleKind scale, Transform transform,
                             int difference, boolean seasonFeatures, Strategy strategy, double interval,
                             int evalEvery, long seed, Double clipValue, double l1, double weightDecay,
                             String lrSchedule, boolean recovery, int diagnoseEvery, double dropout) {

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.lookback = lookback;
        b.horizon = horizon;
        b.season = season;
        b.validation = validation;
        b.cell = cell;
        b.hidden = hidden;
        b.layers = layers;
        b.steps = steps;
        b.batch = batch;
        b.lr = lr;
        b.optimizer = optimizer;
        b.clip = clip;
        b.clipNorm = clipNorm;
        b.l2 = l2;
        b.loss = loss;
        b.scale = scale;
        b.transform = transform;
        b.difference = difference;
        b.seasonFeatures = seasonFeatures;
        b.strategy = strategy;
        b.interval = interval;
        b.evalEvery = evalEvery;
        b.seed = seed;
        b.clipValue = clipValue;
        b.l1 = l1;
        b.weightDecay = weightDecay;
        b.lrSchedule = lrSchedule;
        b.recovery = recovery;
        b.diagnoseEvery = diagnoseEvery;
        b.dropout = dropout;
        return b;
    }

    /** The fewest training points the windows need: the differencing lag, a look-back and its targets, one more. */
    public int minTrainPoints() {
        return difference + lookback + (strategy == Strategy.DIRECT ? horizon : 1) + 1;
    }

    /** Inputs per time step: the value, then 2 phase features when they are on. */
    public int features(int covariates) {
        return 1 + covariates + (usesPhase() ? 2 : 0);
    }

    boolean usesPhase() {
        return seasonFeatures && season > 1;
    }

    /** Mutable builder; {@link #build()} validates every field and resolves the automatic lookback. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private Integer lookback;   // null: three seasons within [24, 48]
        private int horizon = 12;
        private int season = 1;
        private Integer validation; // null: min(H, n/5) once the series is known
        private CellType cell = CellType.LSTM;
        private int hidden = 32;
        private int layers = 1;
        private int steps = 1000;
        private int batch = 32;
        private double lr = 3e-3;
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private ClipMode clip = ClipMode.GLOBAL_NORM;
        private double clipNorm = 1.0;
        private double l2 = 0;
        private LossKind loss = LossKind.MSE;
        private ScaleKind scale = ScaleKind.STANDARD;
        private Transform transform = Transform.NONE;
        private int difference = 0;
        private boolean seasonFeatures = true;
        private Strategy strategy = Strategy.RECURSIVE;
        private double interval = 0.9;
        private int evalEvery = 100;
        private long seed = 42;
        private Double clipValue;   // null: the clip_norm value
        private double l1 = 0;
        private double weightDecay = Double.NaN;
        private String lrSchedule;
        private boolean recovery = true;
        private int diagnoseEvery = 100;
        private double dropout = 0;

        private Builder() {
        }

        /** Past steps the network sees, at least 1; not given (null), three seasons clamped to [24, 48]. */
        public Builder lookback(Integer v) { lookback = v; return this; }
        public Builder horizon(int v) { horizon = v; return this; }
        public Builder season(int v) { season = v; return this; }
        /**
         * Validation points, at least 1; not given (null), min(H, n/5) once the series is known. Files of
         * earlier releases say 0 for null.
         */
        @JsonDeserialize(using = ZeroIsUnset.AsInt.class)
        public Builder validation(Integer v) { validation = v; return this; }
        public Builder cell(CellType v) { cell = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder optimizer(OptimizerKind v) { optimizer = v; return this; }
        public Builder clip(ClipMode v) { clip = v; return this; }
        public Builder clipNorm(double v) { clipNorm = v; return this; }
        public Builder l2(double v) { l2 = v; return this; }
        public Builder loss(LossKind v) { loss = v; return this; }
        public Builder scale(ScaleKind v) { scale = v; return this; }
        public Builder transform(Transform v) { transform = v; return this; }
        public Builder difference(int v) { difference = v; return this; }
        public Builder seasonFeatures(boolean v) { seasonFeatures = v; return this; }
        public Builder strategy(Strategy v) { strategy = v; return this; }
        public Builder interval(double v) { interval = v; return this; }
        public Builder evalEvery(int v) { evalEvery = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        /** The bound of value clipping, above 0; not given (null), the clip_norm value. */
        @JsonIgnore
        public Builder clipValue(double v) { clipValue = v; return this; }
        /** As {@link #clipValue(double)}, or null; files of earlier releases say 0 for null. */
        @JsonProperty("clip_value")
        @JsonDeserialize(using = ZeroIsUnset.AsDouble.class)
        public Builder clipValue(Double v) { clipValue = v; return this; }
        public Builder l1(double v) { l1 = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder lrSchedule(String v) { lrSchedule = v; return this; }
        public Builder recovery(boolean v) { recovery = v; return this; }
        public Builder diagnoseEvery(int v) { diagnoseEvery = v; return this; }
        public Builder dropout(double v) { dropout = v; return this; }

        public ForecastConfig build() {
            positive("horizon", horizon);
            positive("season", season);
            // An explicit 0 is refused rather than read as "automatic": leave the field out for that.
            if (lookback != null && lookback < 1) {
                throw InputException.field("lookback", "must be >= 1, got " + lookback
                        + " (leave it out for three seasons within [24, 48])");
            }
            int look = lookback != null ? lookback : Math.max(24, Math.min(48, 3 * season));
            if (validation != null && validation < 1) {
                throw InputException.field("validation", "must be >= 1, got " + validation + " (leave it out for min(H, n/5))");
            }
            positive("hidden", hidden);
            positive("layers", layers);
            positive("steps", steps);
            positive("batch", batch);
            positive("eval_every", evalEvery);
            if (!(lr > 0 && Double.isFinite(lr))) {
                throw InputException.field("lr", "must be > 0, got " + lr);
            }
            set("optimizer", optimizer);
            set("clip", clip);
            if (!(clipNorm > 0 && Double.isFinite(clipNorm))) {
                throw InputException.field("clip_norm", "must be > 0, got " + clipNorm);
            }
            if (!(l2 >= 0 && Double.isFinite(l2))) {
                throw InputException.field("l2", "must be >= 0, got " + l2);
            }
            if (!(l1 >= 0 && Double.isFinite(l1))) {
                throw InputException.field("l1", "must be >= 0, got " + l1);
            }
            if (clipValue != null && !(clipValue > 0 && Double.isFinite(clipValue))) {
                throw InputException.field("clip_value", "must be > 0, got " + clipValue + " (leave it out for the {clip_norm} value)");
            }
            if (!Double.isNaN(weightDecay) && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
                throw InputException.field("weight_decay", "must be >= 0, got " + weightDecay);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw InputException.field("dropout", "must be in [0, 1), got " + dropout);
            }
            if (diagnoseEvery < 0) {
                throw InputException.field("diagnose_every", "must be >= 0, got " + diagnoseEvery);
            }
            if (lrSchedule != null) {
                Schedules.parse(lrSchedule, (float) lr, steps);
            }
            set("loss", loss);
            set("scale", scale);
            set("transform", transform);
            if (difference < 0) {
                throw InputException.field("difference", "must be 0 (none) or a lag >= 1, got " + difference);
            }
            if (!(interval > 0 && interval < 1)) {
                throw InputException.field("interval", "must be in (0, 1), got " + interval);
            }
            set("strategy", strategy);
            set("cell", cell);
            return new ForecastConfig(look, horizon, season, validation, cell, hidden, layers, steps, batch, lr,
                    optimizer, clip, clipNorm, l2, loss, scale, transform, difference, seasonFeatures,
                    strategy, interval, evalEvery, seed, clipValue, l1, weightDecay, lrSchedule, recovery,
                    diagnoseEvery, dropout);
        }

        private static void set(String field, Object value) {
            if (value == null) {
                throw InputException.field(field, "must be set");
            }
        }

        private static void positive(String field, int v) {
            if (v < 1) {
                throw InputException.field(field, "must be >= 1, got " + v);
            }
        }
    }
}
