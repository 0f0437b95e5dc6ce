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
 * fixture records the format of the release that wrote it ({@code forecaster-v1}, with {@code format_version},
 * was written at the commit that added this class), so a later format goes under a new name.
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
