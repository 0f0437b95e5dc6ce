package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.corpora.timeseries.TimeSeriesCsv;
import dev.ballast.engine.Rng;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForecastEndToEndTest {

    private static TimeSeries synthetic;
    private static ForecastReport report;

    // 20 years of a monthly series: level 10, seasonal amplitude 3, N(0, 0.3^2) noise. The seasonal-naive
    // forecast carries last year's noise into every point, so a model that learns the seasonal shape wins.
    @BeforeAll
    static void trainOnce() {
        Rng rng = new Rng(3);
        double[] y = new double[240];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 12) + 0.3 * rng.nextGaussian();
        }
        synthetic = TimeSeries.of("synthetic", "y", y);
        ForecastConfig c = ForecastConfig.builder().horizon(12).season(12).lookback(24).hidden(16).steps(300)
                .evalEvery(50).seed(1).build();
        report = ForecastPipeline.run(synthetic, c, 6);
    }

    @Test
    void beatsSeasonalNaiveOnASeasonalSeries() {
        assertTrue(report.maseRatio() < 1, "MASE " + report.metrics().mase() + " vs seasonal naive "
                + report.baselines().get("seasonal-naive").mase());
        assertEquals(12, report.forecast().length);
        assertEquals(6, report.future().length);
    }

    @Test
    void intervalsSurroundTheForecastAndDoNotShrinkWithTheHorizon() {
        for (int i = 0; i < report.forecast().length; i++) {
            assertTrue(report.lower()[i] < report.forecast()[i] && report.forecast()[i] < report.upper()[i]);
            if (i > 0) {
                assertTrue(report.upper()[i] - report.lower()[i] >= report.upper()[i - 1] - report.lower()[i - 1] - 1e-12);
            }
        }
    }

    @Test
    void savedForecasterForecastsTheSameAfterLoading(@TempDir Path dir) throws Exception {
        Forecaster f = report.forecaster();
        ForecasterFiles.save(dir, f, Map.of("mase", report.metrics().mase()), "synthetic");
        String json = Files.readString(dir.resolve(ForecasterFiles.METADATA));
        assertTrue(json.contains("\"format\" : \"ballast-forecaster\"") && json.contains("\"java_version\""), json);
        Forecaster loaded = ForecasterFiles.load(dir);
        int[] origin = {synthetic.length()};
        assertArrayEquals(f.forecast(synthetic.values(), synthetic.covariates(), origin, 8)[0],
                loaded.forecast(synthetic.values(), synthetic.covariates(), origin, 8)[0]);
        assertEquals(f.encoding().scaler(), loaded.encoding().scaler());
    }

    @Test
    void loadingSomethingElseNamesTheFormat(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(ForecasterFiles.METADATA), "{\"format\": \"ballast-model\", \"format_version\": 1}");
        String m = assertThrows(InputException.class, () -> ForecasterFiles.load(dir)).getMessage();
        assertTrue(m.endsWith("is not a ballast-forecaster file (its format is 'ballast-model')"), m);
    }

    @Test
    void plotDrawsHistoryHoldoutForecastBandBaselinesAndFuture() {
        String svg = SvgPlot.render(report);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        for (String part : new String[] {"<title>history</title>", "<title>hold-out (actual)</title>",
                "<title>forecast (MASE ", "<title>90% interval</title>", "<title>seasonal naive (MASE ",
                "<title>naive (MASE ", "<title>drift (MASE ", "<title>forecast past the data</title>",
                "vs. their actual values and the naive, seasonal-naive and drift baselines", ">index in the series (first point = 1)<"}) {
            assertTrue(svg.contains(part), part);
        }
        assertTrue(!svg.contains("<script") && !svg.contains("url("), "self-contained");
    }

    @Test
    void plotOfADatedSeriesHasADateAxisThatRunsPastTheData() {
        java.time.LocalDateTime[] months = new java.time.LocalDateTime[synthetic.length()];
        for (int i = 0; i < months.length; i++) {
            months[i] = java.time.LocalDateTime.of(2000, 1, 1, 0, 0).plusMonths(i);
        }
        TimeSeries dated = new TimeSeries("dated", "Demand", synthetic.values(), months, java.util.List.of(),
                new double[0][]);
        String svg = SvgPlot.render(report, dated);
        // 48 months of history, 12 held out, 6 past the end (2020-01 to 2020-06): ticks each year.
        for (String year : new String[] {">2016<", ">2017<", ">2018<", ">2019<", ">2020<"}) {
            assertTrue(svg.contains(year), year);
        }
        assertTrue(svg.contains(">Demand<") && !svg.contains(">index in the series (first point = 1)<"), "value column as the y label");
        assertEquals(java.time.LocalDateTime.of(2020, 6, 1, 0, 0), SvgPlot.extend(months, 6)[months.length + 5]);
    }

    @Test
    void directStrategyForecastsTheWholeHorizonAtOnceAndBacktestMovesTheCut() {
        ForecastConfig c = ForecastConfig.builder().horizon(12).season(12).lookback(24).hidden(8).steps(60)
                .evalEvery(30).strategy(Strategy.DIRECT).build();
        Backtest b = Backtest.run(synthetic, c, 2, null);
        assertEquals(2, b.cuts().size());
        assertEquals(228, b.cuts().get(0).split().validEnd());
        assertEquals(216, b.cuts().get(1).split().validEnd());
        assertEquals(1, b.cuts().get(0).forecaster().network().shape().outputs() / 12);
        assertNotEquals(b.cuts().get(0).metrics().mae(), b.cuts().get(1).metrics().mae());
        double meanMae = (b.cuts().get(0).metrics().mae() + b.cuts().get(1).metrics().mae()) / 2;
        assertEquals(meanMae, b.mean().mae(), 1e-12);
    }

    @Test
    void futureWithCovariatesIsRefused() {
        TimeSeries withCov = new TimeSeries("s", "y", synthetic.values(), null, java.util.List.of("x"),
                new double[][] {synthetic.values().clone()});
        String m = assertThrows(InputException.class,
                () -> ForecastPipeline.run(withCov, ForecastConfig.builder().horizon(12).build(), 3)).getMessage();
        assertTrue(m.startsWith("future needs future values of the covariates x"), m);
    }

    @Test
    void configErrorsNameTheField() {
        assertEquals("horizon must be >= 1, got 0",
                assertThrows(InputException.class, () -> ForecastConfig.builder().horizon(0).build()).getMessage());
        assertEquals("loss must be one of mse, mae, huber, got 'l3'",
                assertThrows(InputException.class, () -> LossKind.parse("l3")).getMessage());
        assertEquals("interval must be in (0, 1), got 1.0",
                assertThrows(InputException.class, () -> ForecastConfig.builder().interval(1).build()).getMessage());
        assertEquals("transform must be one of none, log, got 'sqrt'",
                assertThrows(InputException.class, () -> Transform.parse("sqrt")).getMessage());
        assertEquals("strategy must be one of recursive, direct, got 'mimo'",
                assertThrows(InputException.class, () -> Strategy.parse("mimo")).getMessage());
        // an explicit 0 is an error; left out, the value is chosen
        InputException zero = assertThrows(InputException.class, () -> ForecastConfig.builder().lookback(0).build());
        assertEquals("lookback must be >= 1, got 0 (leave it out for three seasons within [24, 48])", zero.getMessage());
        assertEquals("lookback", zero.field());
        assertEquals("validation", assertThrows(InputException.class,
                () -> ForecastConfig.builder().validation(0).build()).field());
        assertEquals("clip_value", assertThrows(InputException.class,
                () -> ForecastConfig.builder().clipValue(0).build()).field());
        // automatic lookback: three seasons within [24, 48]
        assertEquals(36, ForecastConfig.builder().season(12).build().lookback());
        assertEquals(48, ForecastConfig.builder().season(365).build().lookback());
    }

    @Test
    void defaultSeriesLoadsFromTheJar() {
        TimeSeries s = DefaultSeries.load();
        assertEquals(144, s.length());
        assertEquals("Demand", s.valueName());
    }

    /** The issue's proof on the airline data; needs -Dballast.corpora (env BALLAST_CORPORA). */
    @Test
    void airlinePassengersBeatSeasonalNaive() {
        String corpora = System.getProperty("ballast.corpora", "");
        Assumptions.assumeTrue(!corpora.isBlank() && !corpora.startsWith("${"), "ballast.corpora is not set");
        Path file = Path.of(corpora, "timeseries", "airline-passengers.csv");
        Assumptions.assumeTrue(Files.exists(file), file + " is missing");
        TimeSeries s = TimeSeriesCsv.read(file, TimeSeriesCsv.Options.of("Passengers").withTimeColumn("Month"));
        ForecastConfig c = ForecastConfig.builder().horizon(24).season(12).transform(Transform.LOG).difference(12)
                .steps(500).seed(42).build();
        ForecastReport r = ForecastPipeline.run(s, c, 0);
        assertTrue(r.maseRatio() < 1, "MASE " + r.metrics().mase() + " vs seasonal naive "
                + r.baselines().get("seasonal-naive").mase());
    }
}
