package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;
import dev.ballast.forecast.compat.ForecasterFixture;
import dev.ballast.training.model.WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forecaster's directory through the shared model-file convention. */
class ForecasterFilesTest {

    @TempDir
    Path tmp;

    private Path saved(String source) {
        Path dir = tmp.resolve("f");
        ForecasterFiles.save(dir, ForecasterFixture.create(), ForecasterFixture.metrics(), source,
                ForecasterFixture.intervals());
        return dir;
    }

    @Test
    void roundTripKeepsConfigEncodingCovariatesIntervalsAndForecasts() {
        Forecaster f = ForecasterFixture.create();
        Path dir = saved("tiny-series.csv");
        JsonNode doc = ForecasterFiles.readJson(dir);
        assertEquals("ballast-forecaster", doc.get("format").asText());
        assertEquals(2, doc.get("version").asInt());
        assertFalse(doc.has("format_version"));
        assertEquals("forecaster", doc.get("kind").asText());
        assertEquals(ForecasterFiles.WEIGHTS, doc.at("/weights/file").asText());
        assertEquals(WeightsFile.sha256(dir.resolve(ForecasterFiles.WEIGHTS)), doc.at("/weights/sha256").asText());
        assertEquals("lstm", doc.at("/config/cell").asText());
        assertEquals("recursive", doc.at("/config/strategy").asText());
        assertEquals(1, doc.at("/encoding/difference").asInt());
        assertEquals(0.7, doc.at("/encoding/covariate_scalers/0/scale").asDouble());
        assertEquals(0.9, doc.at("/metrics/mase").asDouble());

        Forecaster back = ForecasterFiles.load(dir);
        assertEquals(f.config(), back.config());
        assertEquals(f.encoding().scaler(), back.encoding().scaler());
        assertArrayEquals(f.encoding().covariateScalers(), back.encoding().covariateScalers());
        assertEquals(f.encoding().phase(), back.encoding().phase());
        assertEquals(List.of("temp"), back.covariateNames());
        double[][] a = ForecasterFixture.forecasts(f);
        double[][] b = ForecasterFixture.forecasts(back);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
        assertArrayEquals(new double[] {0.5, 0.8, 1.1}, ForecasterFiles.intervals(doc, "x").halfWidths());
    }

    @Test
    void provenanceNamesTheSeriesWithoutItsDirectory() {
        Path series = tmp.resolve("data").resolve("tiny-series.csv").toAbsolutePath();
        JsonNode provenance = ForecasterFiles.readJson(saved(series.toString())).get("provenance");
        assertEquals("tiny-series.csv", provenance.get("corpus").asText());
        assertFalse(provenance.toString().contains(tmp.toString()), provenance.toString());
        provenance.forEach(v -> assertFalse(v.asText().startsWith("/"), v.toString()));
        assertTrue(provenance.has("java_version") && provenance.has("created"));
    }

    @Test
    void aFlippedBitInTheWeightsIsAOneLineErrorNamingTheFile() throws IOException {
        Path dir = saved("s.csv");
        Path weights = dir.resolve(ForecasterFiles.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 7] ^= 0x04;
        Files.write(weights, bytes);
        String m = assertThrows(CheckpointException.class, () -> ForecasterFiles.load(dir)).getMessage();
        assertTrue(m.startsWith(weights + " is damaged or belongs to another model: its SHA-256 is "), m);
        assertFalse(m.contains("\n"));
    }

    private static void rewrite(Path dir, ObjectNode doc) throws IOException {
        Files.writeString(dir.resolve(ForecasterFiles.METADATA), Json.MAPPER.writeValueAsString(doc));
    }

    @Test
    void aShapeMismatchNamesTheTensor() throws IOException {
        Path dir = saved("s.csv");
        ObjectNode doc = (ObjectNode) ForecasterFiles.readJson(dir);
        ((ObjectNode) doc.get("config")).put("hidden", 5);
        rewrite(dir, doc);
        String m = assertThrows(CheckpointException.class, () -> ForecasterFiles.load(dir)).getMessage();
        assertEquals(dir.resolve(ForecasterFiles.WEIGHTS)
                + ": tensor 'layers.0.w_input' has shape [4, 16] but the model needs [4, 20]", m);
    }

    @Test
    void malformedDocumentsAreOneLineForecastExceptionsNamingTheField() throws IOException {
        Path dir = saved("s.csv");
        Path json = dir.resolve(ForecasterFiles.METADATA);
        ObjectNode doc = (ObjectNode) ForecasterFiles.readJson(dir);
        ((ObjectNode) doc.get("config")).put("hidden", 0);
        rewrite(dir, doc);
        assertEquals(json + ": config: hidden must be >= 1, got 0",
                assertThrows(InputException.class, () -> ForecasterFiles.load(dir)).getMessage());

        ((ObjectNode) doc.get("config")).put("hidden", 4);
        ((ObjectNode) doc.get("encoding").get("scaler")).put("scale", -1);
        rewrite(dir, doc);
        String m = assertThrows(InputException.class, () -> ForecasterFiles.load(dir)).getMessage();
        assertTrue(m.startsWith(json + ": encoding.scaler: scaler needs a finite shift and a positive scale"), m);

        doc.put("kind", "language-model");
        rewrite(dir, doc);
        assertEquals(json + " holds a language-model, not a forecaster",
                assertThrows(InputException.class, () -> ForecasterFiles.load(dir)).getMessage());
    }
}
