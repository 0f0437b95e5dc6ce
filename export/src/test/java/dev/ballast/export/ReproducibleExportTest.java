package dev.ballast.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.nn.CellType;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.Strategy;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.training.model.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exporting the same model twice, in one JVM or in two, writes the same bytes, and no local paths. */
class ReproducibleExportTest {

    @TempDir
    Path tmp;

    @Test
    void nodeAttributesAreWrittenInNameOrderNotInAHashOrderThatChangesBetweenRuns() {
        OnnxMl.ModelProto lm = OnnxExporter.export(TinyModels.create(CellType.LSTM, 2, 1L));
        Forecaster f = TinyForecasters.random(CellType.RNN_TANH, 2, Strategy.RECURSIVE, 2L);
        OnnxMl.ModelProto forecaster = ForecastOnnxExporter.export(f, ForecasterFiles.describe(f, Map.of(), "random", null));
        for (OnnxMl.ModelProto proto : List.of(lm, forecaster)) {
            for (OnnxMl.NodeProto node : proto.getGraph().getNodeList()) {
                List<String> names = node.getAttributeList().stream().map(OnnxMl.AttributeProto::getName).toList();
                assertEquals(names.stream().sorted().toList(), names, node.getName());
            }
        }
    }

    @Test
    void exportingTheSameLanguageModelTwiceWritesTheSameBytes() throws Exception {
        TrainedModel model = withProvenance(TinyModels.create(CellType.LSTM, 2, 1L), "/home/someone/corpora/tiny.txt");
        assertSameBytesTwice(() -> OnnxExporter.export(model));
    }

    @Test
    void exportingTheSameForecasterTwiceWritesTheSameBytes() throws Exception {
        Path dir = tmp.resolve("forecaster");
        TinyForecasters.trainAndSave(dir, CellType.RNN_TANH, Strategy.DIRECT);
        assertSameBytesTwice(() -> ForecastOnnxExporter.export(dir));
    }

    @Test
    void languageModelProvenanceNamesTheCorpusByFileNameAndKeepsThePlatform() throws Exception {
        TrainedModel model = withProvenance(TinyModels.create(CellType.RNN_TANH, 1, 1L),
                "/home/someone/corpora/one.txt,/srv/data/ptb/");
        JsonNode provenance = provenance(OnnxExporter.export(model));
        assertEquals("one.txt,ptb", provenance.path("corpus").asText());
        assertPlatformWithoutTimeOrPath(provenance);
    }

    @Test
    void forecasterProvenanceNamesTheSeriesByFileNameAndKeepsThePlatform() throws Exception {
        Forecaster f = TinyForecasters.random(CellType.LSTM, 1, Strategy.RECURSIVE, 4L);
        OnnxMl.ModelProto proto = ForecastOnnxExporter.export(f,
                ForecasterFiles.describe(f, Map.of(), "/home/someone/series/airline.csv", null));
        JsonNode provenance = provenance(proto);
        assertEquals("airline.csv", provenance.path("corpus").asText());
        assertPlatformWithoutTimeOrPath(provenance);
        String document = metadata(proto).get(ForecastOnnxExporter.FORECASTER);
        assertFalse(document.contains("/home/someone"), "the forecaster.json copy names no local path either: " + document);
    }

    @Test
    void sourcesThatAreNotPathsStayAsTheyAre() throws Exception {
        Forecaster f = TinyForecasters.random(CellType.LSTM, 1, Strategy.RECURSIVE, 4L);
        String described = "default series (synthetic monthly demand)";
        JsonNode provenance = provenance(ForecastOnnxExporter.export(f, ForecasterFiles.describe(f, Map.of(), described, null)));
        assertEquals(described, provenance.path("corpus").asText());
    }

    private void assertSameBytesTwice(Supplier<OnnxMl.ModelProto> export) throws Exception {
        Path first = tmp.resolve("first.onnx");
        Path second = tmp.resolve("second.onnx");
        OnnxExporter.write(export.get(), first);
        Thread.sleep(5); // a clock in the file would have moved on
        OnnxExporter.write(export.get(), second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    private static void assertPlatformWithoutTimeOrPath(JsonNode provenance) {
        JsonNode export = provenance.path("export");
        assertEquals(System.getProperty("java.version"), export.path("java_version").asText());
        assertTrue(export.path("os").asText().startsWith(System.getProperty("os.name")), export.toString());
        assertEquals(OnnxOps.OPSET, export.path("opset").asInt());
        assertFalse(export.has("exported"), "no export time: " + export);
        assertFalse(provenance.toString().contains("/home/") || provenance.toString().contains("/srv/"), provenance.toString());
    }

    private static TrainedModel withProvenance(TrainedModel m, String corpus) {
        Provenance p = new Provenance("dev", "2024-05-01T00:00:00Z", "17", "vendor", "Linux 6", "amd64", 2, "scalar",
                corpus, "abc123", 100, 10);
        return new TrainedModel(m.network(), m.tokenizer(), null, p, m.metrics());
    }

    private static JsonNode provenance(OnnxMl.ModelProto proto) throws Exception {
        return ModelFiles.JSON.readTree(metadata(proto).get(OnnxMetadata.PROVENANCE));
    }

    private static Map<String, String> metadata(OnnxMl.ModelProto proto) {
        return proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
    }
}
