package dev.ballast.forecast;

import dev.ballast.engine.Rng;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.optim.ClipResult;
import dev.ballast.engine.optim.Clippers;
import dev.ballast.engine.optim.GradientClipper;
import dev.ballast.engine.optim.LearningRateSchedule;
import dev.ballast.engine.optim.Optimizer;
import dev.ballast.engine.optim.OptimizerSettings;
import dev.ballast.engine.optim.Optimizers;
import dev.ballast.engine.optim.Regularizer;
import dev.ballast.engine.optim.Schedules;

import java.util.List;

/**
 * Trains a {@link Forecaster} with the loop the language models use, in the same order: sample windows,
 * forward, loss, backward, regularize, clip (global norm by default), step with the scheduled rate, and
 * stop with a clear message if the loss or gradient norm stops being finite. Every {@code evalEvery}
 * steps the model forecasts the validation part from several origins; the parameters with the lowest
 * validation MAE are kept (early stopping by selection, never by peeking at the hold-out).
 *
 * <pre>{@code
 * ForecastTrainer.Result r = ForecastTrainer.train(y, covariates, List.of(), "airline.csv", split, config, null);
 * }</pre>
 */
public final class ForecastTrainer {

    /** Validation origins used for early stopping and for the interval residuals. */
    static final int VALIDATION_ORIGINS = 16;

    /** Progress hook, e.g. for the CLI's progress lines. */
    @FunctionalInterface
    public interface Listener {
        void onValidation(int step, double trainLoss, double validMae, boolean best);
    }

    /**
     * @param forecaster the model at its best validation step
     * @param residuals  [origin][h] actual - forecast on the validation part (NaN past its end)
     */
    public record Result(Forecaster forecaster, int bestStep, double bestValidMae, double lastLoss,
                         double seconds, double[][] residuals) {
    }

    private ForecastTrainer() {
    }

    public static Result train(double[] y, double[][] covariates, List<String> covariateNames, String source,
                               HoldoutSplit split, ForecastConfig c, Listener listener) {
        long started = System.nanoTime();
        SeriesEncoding encoding = SeriesEncoding.fit(y, covariates, split.trainEnd(), c, source);
        Forecaster forecaster = Forecaster.create(c, encoding, covariateNames);
        ForecastNetwork net = forecaster.network();
        Rng rng = new Rng(c.seed());
        net.initialize(rng.split());
        Rng sampling = rng.split();

        double[] s = encoding.encode(y);
        float[] sf = new float[s.length];
        for (int t = 0; t < s.length; t++) {
            sf[t] = (float) s[t];
        }
        int f = encoding.features();
        Windows windows = new Windows(forecaster.inputRows(s, covariates), sf, f, encoding.first(),
                split.trainEnd(), c.lookback(), c.horizon(), c.strategy());
        if (windows.count() < 1) {
            throw new ForecastException("no training window fits in the " + split.trainEnd()
                    + " training points with --lookback " + c.lookback() + "; lower --lookback or --horizon");
        }

        List<Parameter> params = net.parameters();
        Optimizer optimizer = Optimizers.create(c.optimizer(), OptimizerSettings.defaults());
        GradientClipper clipper = Clippers.create(c.clip(), c.clipNorm(), c.clipNorm());
        Regularizer regularizer = new Regularizer(c.l2(), 0);
        LearningRateSchedule schedule = Schedules.parse("cosine:" + Math.min(100, c.steps() / 10), (float) c.lr(), c.steps());
        RegressionLoss loss = RegressionLoss.create(c.loss());

        int batch = c.batch();
        int look = c.lookback();
        int rows = net.outputRows(look, batch) * net.shape().outputs();
        float[] x = new float[look * batch * f];
        float[] target = new float[rows];
        float[] dOut = new float[rows];
        int[] starts = new int[batch];
        int[] origins = split.validationOrigins(VALIDATION_ORIGINS);

        float[][] best = snapshot(params);
        double bestMae = Double.POSITIVE_INFINITY;
        int bestStep = 0;
        double lastLoss = Double.NaN;
        for (int step = 0; step < c.steps(); step++) {
            for (int b = 0; b < batch; b++) {
                starts[b] = windows.start(sampling.nextInt(windows.count()));
            }
            windows.fill(starts, batch, x, target);
            net.zeroGrad();
            float[] out = net.forward(x, look, batch);
            double l = loss.forward(out, target, rows);
            if (!Double.isFinite(l)) {
                throw diverged(step, "the loss became " + l, c);
            }
            loss.backward(out, target, rows, dOut);
            net.backward(dOut);
            regularizer.addGradients(params);
            ClipResult clip = clipper.clip(params);
            if (!Double.isFinite(clip.normBefore())) {
                throw diverged(step, "the gradient norm became " + clip.normBefore(), c);
            }
            optimizer.step(params, schedule.rate(step));
            lastLoss = l;
            if ((step + 1) % c.evalEvery() == 0 || step + 1 == c.steps()) {
                double mae = meanAbs(residuals(forecaster, y, covariates, split, origins));
                boolean improved = mae < bestMae;
                if (improved) {
                    bestMae = mae;
                    bestStep = step + 1;
                    best = snapshot(params);
                }
                if (listener != null) {
                    listener.onValidation(step + 1, l, mae, improved);
                }
            }
        }
        restore(params, best);
        double[][] res = residuals(forecaster, y, covariates, split, origins);
        return new Result(forecaster, bestStep, bestMae, lastLoss, (System.nanoTime() - started) * 1e-9, res);
    }

    /** actual - forecast from each validation origin, for h = 1..min(H, V); NaN where the actual is past the validation part. */
    static double[][] residuals(Forecaster f, double[] y, double[][] cov, HoldoutSplit split, int[] origins) {
        int k = Math.min(split.horizon(), split.validation());
        double[][] pred = f.forecast(y, cov, origins, k);
        double[][] r = new double[origins.length][k];
        for (int i = 0; i < origins.length; i++) {
            for (int h = 0; h < k; h++) {
                int t = origins[i] + h;
                r[i][h] = t < split.validEnd() ? y[t] - pred[i][h] : Double.NaN;
            }
        }
        return r;
    }

    private static double meanAbs(double[][] r) {
        double sum = 0;
        int n = 0;
        for (double[] row : r) {
            for (double v : row) {
                if (!Double.isNaN(v)) {
                    sum += Math.abs(v);
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static ForecastException diverged(int step, String what, ForecastConfig c) {
        return new ForecastException("training diverged at step " + (step + 1) + ": " + what
                + "; try a lower --lr (now " + c.lr() + ") or another --scale");
    }

    private static float[][] snapshot(List<Parameter> params) {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).value().clone();
        }
        return s;
    }

    private static void restore(List<Parameter> params, float[][] values) {
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(values[i], 0, params.get(i).value(), 0, values[i].length);
        }
    }
}
