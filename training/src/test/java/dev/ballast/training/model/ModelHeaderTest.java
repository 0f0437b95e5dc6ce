package dev.ballast.training.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelHeaderTest {

    record Body(String config, int size) {
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static String error(String document) throws Exception {
        JsonNode doc = json(document);
        return assertThrows(CheckpointException.class, () -> ModelHeader.read(doc, "ballast-x", 2, "thing", "x.json"))
                .getMessage();
    }

    @Test
    void composedDocumentPutsTheKindsFieldsBetweenTheHeadersAndReadsBack() {
        ObjectNode metrics = Json.MAPPER.createObjectNode().put("loss", 0.5);
        ModelHeader header = new ModelHeader("ballast-x", 2, "thing", new WeightsRef("w.safetensors", "0".repeat(64)),
                Provenance.here("scalar", "d.txt", "", 1, 0), metrics);
        ObjectNode doc = ModelDocument.compose(header, new Body("c", 3));
        List<String> keys = List.copyOf(doc.properties().stream().map(java.util.Map.Entry::getKey).toList());
        assertEquals(List.of("format", "version", "kind", "config", "size", "weights", "provenance", "metrics"), keys);

        ModelHeader back = ModelHeader.read(doc, "ballast-x", 2, "thing", "x.json");
        assertEquals(header, back);
        assertEquals(new Body("c", 3), ModelDocument.bind(doc, BodyIgnoringHeader.class, "x.json").body());
    }

    record BodyIgnoringHeader(String config, int size, String format, int version, String kind, JsonNode weights,
                              JsonNode provenance, JsonNode metrics) {
        Body body() {
            return new Body(config, size);
        }
    }

    @Test
    void olderFilesWithFormatVersionAndNoKindOrWeightsStillRead() throws Exception {
        ModelHeader h = ModelHeader.read(json("{\"format\": \"ballast-x\", \"format_version\": 1, \"other\": 3}"),
                "ballast-x", 2, "thing", "x.json");
        assertEquals(1, h.version());
        assertNull(h.kind());
        assertNull(h.weights());
        assertEquals(WeightsRef.unchecked("w.safetensors"), h.weightsOr("w.safetensors"));
        assertEquals(0, h.metricsOrEmpty().size());
    }

    @Test
    void anotherFormatVersionOrKindIsOneLineNamingTheFile() throws Exception {
        assertEquals("x.json is not a ballast-x file (its format is 'ballast-y')",
                error("{\"format\": \"ballast-y\", \"version\": 1}"));
        assertEquals("x.json has format version 3; this Ballast reads ballast-x versions 1 to 2",
                error("{\"format\": \"ballast-x\", \"version\": 3}"));
        assertEquals("x.json has no format version", error("{\"format\": \"ballast-x\"}"));
        assertEquals("x.json holds a forecaster, not a thing",
                error("{\"format\": \"ballast-x\", \"version\": 1, \"kind\": \"forecaster\"}"));
        assertEquals("x.json: weights: weights.sha256 must be 64 hex digits, got 'abc'",
                error("{\"format\": \"ballast-x\", \"version\": 1, \"weights\": {\"file\": \"w\", \"sha256\": \"abc\"}}"));
    }
}
