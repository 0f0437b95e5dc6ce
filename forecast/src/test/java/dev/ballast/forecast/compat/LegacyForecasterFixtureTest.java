package dev.ballast.forecast.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Forecaster directories written by earlier releases still load and forecast what they forecast then. */
class LegacyForecasterFixtureTest {

    /**
     * {@code forecaster-v1}: {@code format_version}, no weights block, {@code provenance.source};
     * {@code forecaster-v2}: the shared header, its weights' SHA-256 checked.
     */
    @ParameterizedTest
    @ValueSource(strings = {"forecaster-v1", "forecaster-v2"})
    void fixtureLoadsAndGivesTheRecordedForecasts(String fixture) throws Exception {
        Path dir = ForecasterFixture.resource("fixtures/" + fixture);
        Forecaster f = ForecasterFiles.load(dir);
        assertEquals(List.of("temp"), f.covariateNames());
        assertEquals(4, f.network().shape().hidden());
        assertEquals(4, f.network().shape().features());
        assertNull(f.config().validation(), "\"validation\": 0 meant automatic, now null");
        assertNull(f.config().clipValue());
        double[][] expected = ForecasterFixture.expectedForecasts(dir);
        double[][] actual = ForecasterFixture.forecasts(f);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], 1e-5, "origin " + ForecasterFixture.ORIGINS[i]);
        }
        JsonNode doc = ForecasterFiles.readJson(dir);
        assertArrayEquals(new double[] {0.5, 0.8, 1.1},
                ForecasterFiles.intervals(doc, "forecaster.json").halfWidths(), 0);
        assertEquals(0.9, doc.path("metrics").path("mase").asDouble(), 0);
        assertEquals(!fixture.equals("forecaster-v1"), doc.path("weights").has("sha256"));
        assertEquals("tiny-series.csv", doc.path("provenance").path(fixture.equals("forecaster-v1") ? "source" : "corpus")
                .asText());
    }
}
