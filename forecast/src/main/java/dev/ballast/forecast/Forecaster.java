package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import dev.ballast.engine.math.KernelProvider;

import java.util.List;

/**
 * A trained (or training) forecasting model: the {@link ForecastNetwork}, the {@link SeriesEncoding} that
 * feeds it, and the config it was built from. It forecasts any number of steps from any origin inside or
 * just past the data: recursively, feeding each one-step prediction back as the next input, or directly,
 * H values per pass (chained when more than H are asked for).
 *
 * <pre>{@code
 * Forecaster f = ForecastTrainer.train(series.values(), series.covariates(), split, config, listener).forecaster();
 * double[] next24 = f.forecast(series.values(), series.covariates(), new int[] {series.length()}, 24)[0];
 * }</pre>
 *
 * @param covariateNames the covariate columns the model reads, in order
 */
public record Forecaster(ForecastConfig config, SeriesEncoding encoding, ForecastNetwork network,
                         List<String> covariateNames) {

    /**
     * The network a forecast runs through: Ballast's {@link ForecastNetwork} or any back-end computing the
     * same function (an exported ONNX file). Windows start from a zero state.
     */
    @FunctionalInterface
    public interface Network {
        // x: (T, B, F) -> (T*B, O) when every step is read, else (B, O) from the last step
        /** Runs one batch of windows and returns the head's rows as {@link ForecastNetwork#forward} does. */
        float[] forward(float[] x, int steps, int batch);
    }

    /** A fresh, uninitialized model for the given encoding. */
    public static Forecaster create(ForecastConfig c, SeriesEncoding encoding, List<String> covariateNames) {
        boolean recursive = c.strategy() == Strategy.RECURSIVE;
        NetworkShape shape = new NetworkShape(c.cell(), encoding.features(), c.hidden(), c.layers(),
                recursive ? 1 : c.horizon(), recursive, (float) c.dropout());
        return new Forecaster(c, encoding, new ForecastNetwork(shape, KernelProvider.best(1)), List.copyOf(covariateNames));
    }

    /** The earliest origin with a full lookback of defined inputs. */
    public int earliestOrigin() {
        return encoding.first() + config.lookback();
    }

    // return: (n, F) rows for every position of y
    /** The input rows of the actual series. */
    public float[] inputRows(double[] s, double[][] covariates) {
        int f = encoding.features();
        float[] rows = new float[s.length * f];
        for (int t = 0; t < s.length; t++) {
            encoding.row(t, s[t], covariates, rows, t * f);
        }
        return rows;
    }

    /**
     * Forecasts {@code steps} values after each origin, using only the actual values before it.
     *
     * @param y       the actual series (at least up to the largest origin)
     * @param origins first forecast position of each forecast, each &gt;= {@link #earliestOrigin()}
     * @return [origin][step] in the series' units
     */
    public double[][] forecast(double[] y, double[][] covariates, int[] origins, int steps) {
        return forecast(y, covariates, origins, steps, network::forward);
    }

    /**
     * As {@link #forecast(double[], double[][], int[], int)}, but running the windows through {@code net},
     * which must compute this forecaster's network (same shape and weights) on another back-end.
     */
    public double[][] forecast(double[] y, double[][] covariates, int[] origins, int steps, Network net) {
        int batch = origins.length;
        int look = config.lookback();
        int f = encoding.features();
        for (int o : origins) {
            if (o < earliestOrigin() || o > y.length) {
                throw InputException.naming("cannot forecast from position " + o + ": needs " + earliestOrigin()
                        + " earlier values ({lookback} " + look + " plus the {difference} lag) and at most " + y.length);
            }
        }
        double[] s = encoding.encode(y);
        double[][] pred = new double[batch][steps];
        float[] x = new float[look * batch * f];
        int chunk = config.strategy() == Strategy.RECURSIVE ? 1 : config.horizon();
        for (int j = 0; j < steps; j += chunk) {
            for (int b = 0; b < batch; b++) {
                int o = origins[b];
                for (int t = 0; t < look; t++) {
                    int pos = o - look + j + t;
                    double v = pos < o ? s[pos] : pred[b][pos - o];
                    encoding.row(pos, v, covariates, x, (t * batch + b) * f);
                }
            }
            float[] out = net.forward(x, look, batch);
            for (int b = 0; b < batch; b++) {
                if (chunk == 1) {
                    pred[b][j] = out[(look - 1) * batch + b];
                } else {
                    for (int k = 0; k < chunk && j + k < steps; k++) {
                        pred[b][j + k] = out[b * chunk + k];
                    }
                }
            }
        }
        double[][] values = new double[batch][];
        for (int b = 0; b < batch; b++) {
            values[b] = encoding.decode(y, origins[b], pred[b]);
        }
        return values;
    }
}
