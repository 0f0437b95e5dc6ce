package dev.ballast.forecast.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forecaster directories written by earlier releases still load and forecast what they forecast then. */
class LegacyForecasterFixtureTest {

    /** Written by the release whose forecaster.json had {@code format_version} and no weights block. */
    @Test
    void versionOneLoadsAndGivesTheRecordedForecasts() throws Exception {
        Path dir = ForecasterFixture.resource("fixtures/forecaster-v1");
        Forecaster f = ForecasterFiles.load(dir);
        assertEquals(List.of("temp"), f.covariateNames());
        assertEquals(4, f.network().shape().hidden());
        assertEquals(4, f.network().shape().features());
        double[][] expected = ForecasterFixture.expectedForecasts(dir);
        double[][] actual = ForecasterFixture.forecasts(f);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 1e-5, "origin " + ForecasterFixture.ORIGINS[i]);
        }
        JsonNode doc = ForecasterFiles.readJson(dir);
        assertArrayEquals(new double[] {0.5, 0.8, 1.1},
                ForecasterFiles.intervals(doc, "forecaster.json").halfWidths(), 0);
        assertEquals(0.9, doc.path("metrics").path("mase").asDouble(), 0);
    }
}
