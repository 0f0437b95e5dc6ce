package dev.ballast.cli;

import static dev.ballast.cli.CliRun.ballast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast forecast} in-process: the JSON contract, the saved files, the plot, and one-line errors. */
class ForecastCommandTest {

    @TempDir
    Path tmp;

    private Path csv() throws Exception {
        StringBuilder sb = new StringBuilder("\"Month\",\"Sales\"\n");
        for (int t = 0; t < 96; t++) {
            sb.append(String.format(java.util.Locale.ROOT, "\"%d-%02d\",%.3f%n", 2000 + t / 12, t % 12 + 1,
                    50 + 10 * Math.sin(2 * Math.PI * t / 12) + (t * 7 % 5) * 0.1));
        }
        Path f = tmp.resolve("sales.csv");
        Files.writeString(f, sb);
        return f;
    }

    @Test
    void jsonCarriesMetricsBaselinesAndForecastWithIntervals() throws Exception {
        Path model = tmp.resolve("model");
        Path plot = tmp.resolve("plot.svg");
        CliRun o = ballast("forecast", "--data", csv().toString(), "--column", "Sales", "--time-column", "Month",
                "--horizon", "6", "--season", "12", "--lookback", "12", "--hidden", "8", "--steps", "40",
                "--future", "3", "--out", model.toString(), "--plot", plot.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = Json.MAPPER.readTree(o.out());
        for (String k : new String[] {"mase", "smape", "rmse", "mae", "mape"}) {
            assertTrue(j.get(k).isNumber(), k);
            assertTrue(j.path("baselines").path("seasonal-naive").get(k).isNumber(), k);
        }
        assertTrue(j.path("baselines").has("naive") && j.path("baselines").has("drift"));
        assertEquals(6, j.get("horizon").asInt());
        assertEquals(12, j.get("season").asInt());
        assertEquals(6, j.get("forecast").size());
        JsonNode first = j.get("forecast").get(0);
        assertEquals("2007-07-01", first.get("time").asText());
        assertTrue(first.get("lower").asDouble() <= first.get("value").asDouble()
                && first.get("value").asDouble() <= first.get("upper").asDouble());
        assertEquals(3, j.get("future").size());
        assertTrue(Files.exists(model.resolve("forecaster.json")) && Files.exists(model.resolve("forecaster.safetensors")));
        assertTrue(Files.readString(plot).startsWith("<svg"));
        JsonNode stability = j.path("stability");
        for (String k : new String[] {"clipped_fraction", "nonfinite_steps", "rollbacks", "max_grad_norm", "incidents"}) {
            assertTrue(stability.has(k), "stability." + k + " in " + stability);
        }
        assertEquals(40, j.get("steps").asInt());
        assertTrue(Files.exists(model.resolve("stability.json")) && Files.exists(model.resolve("report.html")));
    }

    @Test
    void diagnoseExplainsAForecasterRunAndResumeContinuesIt() throws Exception {
        Path run = tmp.resolve("run");
        String[] common = {"--data", csv().toString(), "--column", "Sales", "--horizon", "6", "--season", "12",
                "--lookback", "12", "--hidden", "8"};
        CliRun first = ballast(concat(new String[] {"forecast", "--steps", "40", "--out", run.toString()}, common));
        assertEquals(0, first.code(), first.err());
        CliRun d = ballast("diagnose", run.toString());
        assertEquals(0, d.code(), d.err());
        CliRun more = ballast(concat(new String[] {"forecast", "--resume", run.toString(), "--steps", "60", "--json"},
                common));
        assertEquals(0, more.code(), more.err());
        assertEquals(60, Json.MAPPER.readTree(more.out()).get("steps").asInt());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void noArgumentsForecastsTheEmbeddedSeries() {
        CliRun o = ballast("forecast", "--steps", "20", "--hidden", "8", "--out", tmp.resolve("m").toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("seasonal-naive") && o.out().contains("MASE ratio to seasonal naive"), o.out());
        assertTrue(o.out().contains("2023-12-01"), o.out());
    }

    @Test
    void badInputsAreOneLineErrorsWithExitCode2() throws Exception {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "t,v\n2020-01,1\n2020-02,x\n");
        CliRun o = ballast("forecast", "--data", bad.toString(), "--column", "v", "--out", tmp.resolve("m").toString());
        assertEquals(2, o.code());
        assertEquals("ballast forecast: bad.csv: row 3, column 'v': cannot parse 'x' as a number", o.err().trim());

        CliRun missing = ballast("forecast", "--data", csv().toString());
        assertEquals(2, missing.code());
        assertEquals("ballast forecast: --data needs --column to name the value column", missing.err().trim());

        CliRun loss = ballast("forecast", "--loss", "l3", "--out", tmp.resolve("m").toString());
        assertEquals(2, loss.code());
        assertEquals("ballast forecast: --loss must be one of mse, mae, huber, got 'l3'", loss.err().trim());

        CliRun tooShort = ballast("forecast", "--data", csv().toString(), "--column", "Sales", "--horizon", "60",
                "--out", tmp.resolve("m").toString());
        assertEquals(2, tooShort.code());
        assertTrue(tooShort.err().startsWith("ballast forecast: the series has 96 points: holding out --horizon 60"),
                tooShort.err());
        assertEquals(1, tooShort.err().trim().lines().count());
    }

    @Test
    void anImpossibleBacktestFailsBeforeTraining() throws Exception {
        Path out = tmp.resolve("bt");
        long t0 = System.nanoTime();
        // A million steps would take hours: the refusal must come before any of them.
        CliRun o = ballast("forecast", "--data", csv().toString(), "--column", "Sales", "--backtest", "1000",
                "--steps", "1000000", "--out", out.toString());
        double seconds = (System.nanoTime() - t0) * 1e-9;
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().startsWith("ballast forecast: --backtest 1000 needs origins 12 points apart"), o.err());
        assertTrue(o.err().contains("at most --backtest"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(seconds < 20, "took " + seconds + " s");
        assertTrue(!Files.exists(out), "nothing is written for a refused run");
    }
}
