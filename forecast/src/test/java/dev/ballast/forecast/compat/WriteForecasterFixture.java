package dev.ballast.forecast.compat;

import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Writes a fixture of the forecaster directory format that this checkout's {@link ForecasterFiles#save}
 * writes, for {@link LegacyForecasterFixtureTest}. Off unless asked for:
 *
 * <pre>
 * mvn -B -q -pl forecast -am test -Dtest=WriteForecasterFixture -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dballast.fixture=forecaster-v1
 * </pre>
 *
 * writes {@code forecast/src/test/resources/fixtures/<name>/} ({@code forecaster.json},
 * {@code forecaster.safetensors} and {@code expected.json}, the recorded forecasts). It never overwrites: a
 * fixture records the format of the code that wrote it, so a later format goes under a new name:
 * <ul>
 *   <li>{@code forecaster-v1}: written at commit c3682b6 (the one that added this class): format version 1,
 *       spelled {@code format_version}, no weights block, {@code provenance.source};</li>
 *   <li>{@code forecaster-v2}: the shared model-file header, the weights' SHA-256 recorded.</li>
 * </ul>
 */
class WriteForecasterFixture {

    @Test
    @EnabledIfSystemProperty(named = "ballast.fixture", matches = "forecaster-.+")
    void write() throws Exception {
        Path dir = Path.of("src/test/resources/fixtures", System.getProperty("ballast.fixture"));
        assertFalse(Files.exists(dir), dir + " exists; fixtures are never overwritten");
        Files.createDirectories(dir);
        Forecaster f = ForecasterFixture.create();
        ForecasterFiles.save(dir, f, ForecasterFixture.metrics(), "tiny-series.csv", ForecasterFixture.intervals());
        Files.writeString(dir.resolve("expected.json"), ForecasterFixture.expectedJson(f));
    }
}
