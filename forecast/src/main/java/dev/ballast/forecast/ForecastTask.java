package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.Batches;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.engine.optim.OptimizerSettings;
import dev.ballast.engine.optim.Regularizer;
import dev.ballast.training.TrainerSettings;
import dev.ballast.training.TrainingTask;
import dev.ballast.training.Validation;
import dev.ballast.training.stability.StabilityGuard;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A forecaster and its series as a {@link TrainingTask}: batches of windows cut from the training part
 * (each window starts from a zero state, so nothing carries over), the regression loss on the scaled
 * targets, and validation by the MAE of forecasts from origins in the validation part.
 */
public final class ForecastTask implements TrainingTask {

    /** Validation origins used for checkpoint selection and for the interval residuals. */
    static final int VALIDATION_ORIGINS = 16;

    private final Forecaster forecaster;
    private final ForecastNetwork net;
    private final ForecastConfig config;
    private final double[] y;
    private final double[][] covariates;
    private final HoldoutSplit split;
    private final int[] origins;
    private final String source;
    private final Windows windows;
    private final WindowBatches batches;
    private final RegressionLoss loss;
    private final RecurrentState none;
    private final int rows;
    private final float[] x;
    private final float[] target;
    private final float[] dOut;
    private final int[] starts;
    private float[] out;
    private final double fingerprint; // of the series, saved with every checkpoint (computed once)

    /** @param forecaster the model to train, initialised (or loaded from a checkpoint) */
    ForecastTask(Forecaster forecaster, double[] y, double[][] covariates, HoldoutSplit split, String source) {
        this.forecaster = forecaster;
        this.net = forecaster.network();
        this.config = forecaster.config();
        this.y = y;
        this.covariates = covariates;
        this.split = split;
        this.origins = split.validationOrigins(VALIDATION_ORIGINS);
        this.source = source;
        this.fingerprint = ForecastTrainer.fingerprint(y);
        SeriesEncoding encoding = forecaster.encoding();
        double[] s = encoding.encode(y);
        float[] sf = new float[s.length];
        for (int t = 0; t < s.length; t++) {
            sf[t] = (float) s[t];
        }
        int look = config.lookback();
        this.windows = new Windows(forecaster.inputRows(s, covariates), sf, encoding.features(), encoding.first(),
                split.trainEnd(), look, config.horizon(), config.strategy());
        if (windows.count() < 1) {
            throw InputException.naming("no training window fits in the " + split.trainEnd()
                    + " training points with {lookback} " + look + "; lower {lookback} or {horizon}");
        }
        int batch = config.batch();
        this.rows = net.outputRows(look, batch) * net.shape().outputs();
        this.batches = new WindowBatches(windows, batch, config.seed(), look,
                config.strategy() == Strategy.DIRECT ? config.horizon() : 1, rows);
        this.loss = RegressionLoss.create(config.loss());
        this.none = RecurrentState.none(batch);
        this.x = new float[look * batch * encoding.features()];
        this.target = new float[rows];
        this.dOut = new float[rows];
        this.starts = new int[batch];
    }

    /** The training loop's settings for a forecaster: its own defaults, the same names as {@code train}. */
    static TrainerSettings settings(ForecastConfig c) {
        OptimizerSettings.Builder o = OptimizerSettings.builder();
        if (!Double.isNaN(c.weightDecay())) {
            o.weightDecay(c.weightDecay());
        }
        String schedule = c.lrSchedule() != null ? c.lrSchedule() : "cosine:" + Math.min(100, c.steps() / 10);
        double clipValue = c.clipValue() != null ? c.clipValue() : c.clipNorm();
        return new TrainerSettings(c.steps(), c.seed(), c.optimizer(), (float) c.lr(), o.build(), schedule,
                c.clip(), c.clipNorm(), clipValue, dev.ballast.engine.optim.Clippers.DEFAULT_PERCENTILE,
                dev.ballast.engine.optim.Clippers.DEFAULT_RATIO, new Regularizer(c.l2(), c.l1(), false),
                0, c.recovery(), StabilityGuard.Rules.DEFAULTS, c.diagnoseEvery(), c.evalEvery());
    }

    public Forecaster forecaster() {
        return forecaster;
    }

    @Override
    public String kind() {
        return "forecaster";
    }

    @Override
    public List<Parameter> parameters() {
        return net.parameters();
    }

    @Override
    public List<RecurrentLayer> recurrentLayers() {
        return net.layers();
    }

    @Override
    public Kernels kernels() {
        return net.kernels();
    }

    @Override
    public Batches batches() {
        return batches;
    }

    @Override
    public RecurrentState state() {
        return none;
    }

    @Override
    public void nextBatch() {
        batches.next(starts);
        windows.fill(starts, config.batch(), x, target);
    }

    @Override
    public void zeroGrad() {
        net.zeroGrad();
    }

    @Override
    public float forward(boolean training, Rng dropout) {
        out = net.forward(x, config.lookback(), config.batch(), training, dropout);
        return (float) loss.forward(out, target, rows);
    }

    @Override
    public void backward() {
        loss.backward(out, target, rows, dOut);
        net.backward(dOut);
    }

    @Override
    public float[][] reachBack(long step, Runnable afterForward) {
        net.zeroGrad();
        net.forward(x, config.lookback(), config.batch(), true, new Rng(step));
        afterForward.run();
        net.zeroGrad();
        return null;
    }

    @Override
    public Validation validate() {
        double[][] r = residuals();
        double sum = 0;
        long n = 0;
        for (double[] row : r) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    sum += Math.abs(v);
                    n++;
                }
            }
        }
        return new ForecastValidation(n == 0 ? Double.NaN : sum / n, n);
    }

    /** actual − forecast from each validation origin, for h = 1..min(H, V); NaN where the actual is past the validation part. */
    double[][] residuals() {
        int k = Math.min(split.horizon(), split.validation());
        double[][] pred = forecaster.forecast(y, covariates, origins, k);
        double[][] r = new double[origins.length][k];
        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < k; h++) {
                int t = origins[i] + h;
                r[i][h] = t < split.validEnd() ? y[t] - pred[i][h] : Double.NaN;
            }
        }
        return r;
    }

    @Override
    public String sample(long step) {
        return null;
    }

    @Override
    public void saveModel(Path dir, ObjectNode metrics) {
        Map<String, Double> m = new LinkedHashMap<>();
        metrics.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                m.put(e.getKey(), e.getValue().asDouble());
            }
        });
        m.put("data_fingerprint", fingerprint);
        ForecasterFiles.save(dir, forecaster, m, source);
    }

    @Override
    public int outputs() {
        return net.shape().outputs();
    }

    @Override
    public long trainSize() {
        return split.trainEnd();
    }

    @Override
    public long validSize() {
        return split.validation();
    }

    @Override
    public String remedy(TrainerSettings settings) {
        return "Try a lower --lr (now " + settings.lr() + "), another --scale, or a smaller --clip-norm.";
    }
}
