package dev.ballast.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.engine.Rng;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.training.Trainer;
import dev.ballast.training.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecaster trains on the shared trainer: checkpoints, stability files and an exact resume. */
class ForecastTrainingTest {

    @TempDir
    Path tmp;

    private static TimeSeries series() {
        Rng rng = new Rng(5);
        double[] y = new double[120];
        for (int t = 0; t < y.length; t++) {
            y[t] = 20 + 0.05 * t + 4 * Math.sin(2 * Math.PI * t / 12) + 0.5 * rng.nextGaussian();
        }
        return TimeSeries.of("trend", "y", y);
    }

    private static ForecastConfig config() {
        return ForecastConfig.builder().horizon(6).season(12).lookback(12).hidden(8).steps(60).batch(8)
                .evalEvery(20).seed(3).build();
    }

    @Test
    void aRunWritesCheckpointsAndTheStabilityReport() {
        Path run = tmp.resolve("run");
        ForecastReport r = ForecastPipeline.run(series(), config(), 0,
                new ForecastPipeline.Training(run, null, UnaryOperator.identity(), null, null));
        assertEquals(60, r.training().trained().steps());
        assertTrue(Files.isRegularFile(run.resolve("stability.json")));
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
        assertTrue(Files.isRegularFile(run.resolve("best.json")));
        assertTrue(Files.isDirectory(run.resolve("checkpoints").resolve("step-00000060")));
        JsonNode s = r.training().stability();
        assertEquals(0, s.get("nonfinite_steps").asInt());
        assertTrue(s.has("clipped_fraction") && s.has("rollbacks") && s.has("incidents"), s.toString());
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() {
        Path straight = tmp.resolve("straight");
        ForecastPipeline.run(series(), config(), 0,
                new ForecastPipeline.Training(straight, null, UnaryOperator.identity(), null, null));

        Path split = tmp.resolve("split");
        @SuppressWarnings("unchecked")
        Trainer<ForecastTask>[] trainer = new Trainer[1];
        TrainingListener stopAt30 = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                if (r.step() == 30) {
                    trainer[0].requestStop();
                }
            }
        };
        ForecastReport stopped = ForecastPipeline.run(series(), config(), 0,
                new ForecastPipeline.Training(split, null, UnaryOperator.identity(), stopAt30, t -> trainer[0] = t));
        assertTrue(stopped.training().trained().stopped());
        assertEquals(30, stopped.training().trained().steps());
        ForecastReport resumed = ForecastPipeline.run(series(), config(), 0,
                new ForecastPipeline.Training(split, split, UnaryOperator.identity(), null, null));
        assertEquals(60, resumed.training().trained().steps());

        List<Parameter> a = ForecasterFiles.load(straight.resolve("checkpoints").resolve("step-00000060")).network().parameters();
        List<Parameter> b = ForecasterFiles.load(split.resolve("checkpoints").resolve("step-00000060")).network().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value(), b.get(i).value(), a.get(i).name());
        }
    }

    @Test
    void resumeRefusesAnotherSeries() {
        Path run = tmp.resolve("other");
        ForecastPipeline.run(series(), config().toBuilder().steps(20).build(), 0,
                new ForecastPipeline.Training(run, null, UnaryOperator.identity(), null, null));
        double[] y = series().values().clone();
        y[50] += 1;
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> ForecastPipeline.run(
                TimeSeries.of("trend", "y", y), config(), 0,
                new ForecastPipeline.Training(run, run, c -> c.toBuilder().steps(40).build(), null, null)));
        assertTrue(e.getMessage().contains("not the one"), e.getMessage());
    }
}
