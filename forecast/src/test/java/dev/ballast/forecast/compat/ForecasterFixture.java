package dev.ballast.forecast.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.Rng;
import dev.ballast.engine.io.Json;
import dev.ballast.engine.nn.CellType;
import dev.ballast.forecast.ForecastConfig;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.PredictionIntervals;
import dev.ballast.forecast.Scaler;
import dev.ballast.forecast.SeriesEncoding;
import dev.ballast.forecast.Strategy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiny forecaster behind the {@code fixtures/forecaster-*} test resources: a one-layer LSTM with 4
 * hidden units, one covariate, seasonal phase features and a first difference, with seeded weights, and
 * the forecasts each fixture records ({@code expected.json} next to the forecaster directory's files).
 */
public final class ForecasterFixture {

    public static final int[] ORIGINS = {20, 30};
    public static final int STEPS = 5;

    private ForecasterFixture() {
    }

    public static Forecaster create() {
        ForecastConfig c = ForecastConfig.builder().horizon(3).season(4).lookback(6).hidden(4).layers(1)
                .cell(CellType.LSTM).strategy(Strategy.RECURSIVE).difference(1).steps(50).seed(11).build();
        SeriesEncoding e = new SeriesEncoding("none", 1, new Scaler("standard", 0.2, 1.5),
                new Scaler[] {new Scaler("standard", 0.0, 0.7)}, 4, true);
        Forecaster f = Forecaster.create(c, e, List.of("temp"));
        f.network().initialize(new Rng(11));
        Rng r = new Rng(12);
        f.network().parameters().forEach(p -> {
            if (p.name().endsWith("bias")) { // non-zero biases, so a wrong gate order cannot hide
                float[] b = p.value();
                for (int i = 0; i < b.length; i++) {
                    b[i] += (float) (0.5 * r.nextGaussian());
                }
            }
        });
        return f;
    }

    public static PredictionIntervals intervals() {
        return PredictionIntervals.of(new double[] {0.5, 0.8, 1.1});
    }

    public static Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mase", 0.9);
        m.put("rmse", 1.25);
        return m;
    }

    public static double[] series() {
        Rng rng = new Rng(3);
        double[] y = new double[40];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 + 0.1 * t + 2 * Math.sin(2 * Math.PI * t / 4) + 0.3 * rng.nextGaussian();
        }
        return y;
    }

    public static double[][] covariates() {
        double[] temp = new double[40];
        for (int t = 0; t < temp.length; t++) {
            temp[t] = Math.cos(t / 3.0);
        }
        return new double[][] {temp};
    }

    public static double[][] forecasts(Forecaster f) {
        return f.forecast(series(), covariates(), ORIGINS, STEPS);
    }

    public static String expectedJson(Forecaster f) throws IOException {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ArrayNode rows = n.putArray("forecasts");
        for (double[] row : forecasts(f)) {
            ArrayNode a = rows.addArray();
            for (double v : row) {
                a.add(v);
            }
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    }

    public static double[][] expectedForecasts(Path fixture) throws IOException {
        JsonNode rows = Json.MAPPER.readTree(Files.readString(fixture.resolve("expected.json"))).get("forecasts");
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = rows.get(i).get(j).doubleValue();
            }
        }
        return out;
    }

    public static Path resource(String name) {
        try {
            return Path.of(ForecasterFixture.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
