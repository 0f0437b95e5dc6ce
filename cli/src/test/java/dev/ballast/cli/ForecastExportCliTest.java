package dev.ballast.cli;

import static dev.ballast.cli.CliRun.ballast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.Json;
import dev.ballast.export.ForecastOnnxRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast forecast} then {@code ballast export --verify} on the saved forecaster directory. */
class ForecastExportCliTest {

    @TempDir
    Path tmp;

    @Test
    void exportDetectsAForecasterDirectoryAndVerifiesIt() throws Exception {
        Path dir = tmp.resolve("forecast");
        CliRun f = ballast("forecast", "--steps", "40", "--hidden", "8", "--layers", "2", "--horizon", "6",
                "--out", dir.toString(), "--json");
        assertEquals(0, f.code(), f.err());
        JsonNode saved = Json.MAPPER.readTree(Files.readString(dir.resolve("forecaster.json")));
        assertEquals(6, saved.path("intervals").path("half_widths").size(), "forecast saves its intervals");

        Path onnx = tmp.resolve("forecaster.onnx");
        CliRun e = ballast("export", "--model", dir.toString(), "--out", onnx.toString(), "--verify", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode json = Json.MAPPER.readTree(e.out());
        assertEquals("forecaster", json.get("kind").asText());
        assertTrue(json.get("verify").get("passed").asBoolean(), e.out());
        assertTrue(json.get("verify").get("max_abs_diff").asDouble() <= 1e-4, e.out());
        assertTrue(ForecastOnnxRunner.isForecaster(onnx));

        CliRun text = ballast("export", "--model", dir.toString(), "--out", onnx.toString(), "--verify", "--overwrite");
        assertTrue(text.out().contains("max |scaled prediction difference|") && text.out().contains(": ok"), text.out());
    }

    @Test
    void brokenForecasterDirectoryExitsWithOneLine() throws Exception {
        Path dir = tmp.resolve("broken");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("forecaster.json"), "{\"format\": \"something-else\"}");
        CliRun e = ballast("export", "--model", dir.toString(), "--out", tmp.resolve("x.onnx").toString());
        assertEquals(BallastCommand.EXIT_BAD_INPUT, e.code(), e.err());
        assertTrue(e.err().contains("not a ballast-forecaster") && e.err().strip().lines().count() == 1, e.err());
    }
}
