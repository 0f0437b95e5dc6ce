package dev.ballast.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.forecast.ForecastReport;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.Strategy;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.lm.ModelFiles;
import dev.ballast.engine.nn.CellType;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForecastOnnxExporterTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, {1} layer(s), {2}")
    @CsvSource({"lstm, 1, recursive", "lstm, 2, direct", "rnn-tanh, 1, direct", "rnn-tanh, 2, recursive",
            "rnn-relu, 2, recursive", "lstm, 3, recursive"})
    void exportMatchesEngineOnSeveralBatchesAndLengths(String cell, int layers, String strategy) {
        Forecaster f = TinyForecasters.random(CellType.parse(cell), layers, Strategy.parse(strategy), 3L + layers);
        Path file = tmp.resolve("f.onnx");
        OnnxExporter.write(ForecastOnnxExporter.export(f, ForecasterFiles.describe(f, Map.of(), "random", null)), file);
        VerificationReport report = ForecastOnnxVerifier.verify(f, file);
        assertTrue(report.passed(), "max |diff| " + report.maxAbsDiff());
        assertEquals(3, report.cases().size());
    }

    @Test
    void changedWeightsFailVerification() {
        Forecaster f = TinyForecasters.random(CellType.LSTM, 1, Strategy.RECURSIVE, 9L);
        Path file = tmp.resolve("f.onnx");
        OnnxExporter.write(ForecastOnnxExporter.export(f, ForecasterFiles.describe(f, Map.of(), "random", null)), file);
        float[] w = f.network().parameters().get(0).value();
        w[0] += 0.5f;
        assertFalse(ForecastOnnxVerifier.verify(f, file).passed());
    }

    @Test
    void trainedForecasterForecastsTheSameThroughOnnx() throws Exception {
        for (Strategy strategy : Strategy.values()) {
            Path dir = tmp.resolve(strategy.id());
            ForecastReport r = TinyForecasters.trainAndSave(dir, CellType.LSTM, strategy);
            Path file = tmp.resolve(strategy.id() + ".onnx");
            OnnxExporter.write(ForecastOnnxExporter.export(dir), file);
            Forecaster engine = ForecasterFiles.load(dir);
            double[] y = TinyForecasters.series().values();
            int[] origins = {engine.earliestOrigin(), 80, y.length};
            double[][] ours = engine.forecast(y, new double[0][], origins, 9);
            try (ForecastOnnxRunner runner = ForecastOnnxRunner.open(file, 1)) {
                double[][] theirs = runner.forecaster().forecast(y, new double[0][], origins, 9, runner);
                double worst = 0;
                for (int b = 0; b < origins.length; b++) {
                    for (int k = 0; k < 9; k++) {
                        worst = Math.max(worst, Math.abs(ours[b][k] - theirs[b][k]));
                    }
                }
                // Values are ~10; float32 engines with different summation orders, rolled 9 steps.
                assertTrue(worst < 1e-3, strategy + ": max |forecast difference| " + worst);
                assertNotNull(runner.intervals(), "intervals travel in the metadata");
                assertEquals(r.upper()[0] - r.forecast()[0], runner.intervals().halfWidth(1), 1e-9);
            }
            assertTrue(ForecastOnnxVerifier.verify(engine, file).passed());
        }
    }

    @Test
    void stampsOpset17IrVersion8DynamicAxesAndForecasterMetadata() throws Exception {
        Path dir = tmp.resolve("m");
        TinyForecasters.trainAndSave(dir, CellType.RNN_TANH, Strategy.RECURSIVE);
        OnnxMl.ModelProto proto = ForecastOnnxExporter.export(dir);
        assertEquals(8, proto.getIrVersion());
        assertEquals(17, proto.getOpsetImport(0).getVersion());
        OnnxMl.ValueInfoProto x = proto.getGraph().getInput(0);
        assertEquals("x", x.getName());
        assertEquals("sequence", x.getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals("batch", x.getType().getTensorType().getShape().getDim(1).getDimParam());
        assertEquals(3, x.getType().getTensorType().getShape().getDim(2).getDimValue()); // value + sin + cos
        assertEquals(2, proto.getGraph().getInputCount()); // x, h0: an RNN has no c0
        assertEquals("y", proto.getGraph().getOutput(0).getName());
        for (OnnxMl.NodeProto node : proto.getGraph().getNodeList()) {
            if (node.getOpType().equals("RNN")) {
                assertEquals("", node.getInput(4), "sequence_lens must stay empty");
            }
        }
        Map<String, String> meta = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertEquals("ballast-onnx-forecaster", meta.get(OnnxMetadata.FORMAT));
        assertEquals("1", meta.get(OnnxMetadata.FORMAT_VERSION));
        JsonNode enc = ModelFiles.JSON.readTree(meta.get(ForecastOnnxExporter.ENCODING));
        assertEquals("standard", enc.path("scaler").path("kind").asText());
        assertEquals(12, enc.path("min_history").asInt()); // lookback 12, no difference
        assertEquals(12, ModelFiles.JSON.readTree(meta.get(ForecastOnnxExporter.CONFIG)).path("lookback").asInt());
        assertTrue(meta.get(OnnxMetadata.PROVENANCE).contains("\"opset\":17"));
        assertTrue(meta.get(OnnxMetadata.PROVENANCE).contains("\"java_version\""));
        assertNotNull(meta.get(OnnxMetadata.SIGNATURE));
    }

    @Test
    void languageModelFileIsNotAForecaster() {
        Path file = tmp.resolve("lm.onnx");
        OnnxExporter.write(OnnxExporter.export(TinyModels.create(CellType.LSTM, 1, 1L)), file);
        assertFalse(ForecastOnnxRunner.isForecaster(file));
        CheckpointException e = assertThrows(CheckpointException.class, () -> ForecastOnnxRunner.open(file, 1));
        assertTrue(e.getMessage().contains("not a forecaster") && e.getMessage().contains("'ballast-onnx'"), e.getMessage());
    }
}
