package dev.ballast.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.CellType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxExporterTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} with {1} layer(s)")
    @CsvSource({"lstm, 1", "lstm, 2", "lstm, 3", "rnn-tanh, 1", "rnn-tanh, 2", "rnn-tanh, 3",
            "rnn-relu, 1", "rnn-relu, 2", "rnn-relu, 3"})
    void exportMatchesEngineAcrossBatchesAndCarriedState(String cell, int layers) {
        TrainedModel model = TinyModels.create(CellType.parse(cell), layers, 7L + layers);
        Path file = tmp.resolve("m.onnx");
        OnnxExporter.write(OnnxExporter.export(model), file);
        VerificationReport report = OnnxVerifier.verify(model, file);
        assertTrue(report.passed(), "max |diff| " + report.maxAbsDiff());
        assertEquals(SideBySide.BATCHES.length, report.cases().size());
    }

    @Test
    void wrongGateOrderWouldFailVerification() {
        // The verifier must be able to fail: a model whose LSTM weights are changed after export disagrees.
        TrainedModel model = TinyModels.create(CellType.LSTM, 1, 3L);
        Path file = tmp.resolve("m.onnx");
        OnnxExporter.write(OnnxExporter.export(model), file);
        float[] b = model.network().layers().get(0).bias().value();
        for (int i = 0; i < b.length; i++) {
            b[i] += 0.3f;
        }
        assertFalse(OnnxVerifier.verify(model, file).passed());
    }

    @Test
    void stampsOpset17IrVersion8AndDynamicAxes() {
        OnnxMl.ModelProto proto = OnnxExporter.export(TinyModels.create(CellType.LSTM, 2, 1L));
        assertEquals(8, proto.getIrVersion());
        assertEquals(17, proto.getOpsetImport(0).getVersion());
        OnnxMl.ValueInfoProto tokens = proto.getGraph().getInput(0);
        assertEquals("tokens", tokens.getName());
        assertEquals(OnnxMl.TensorProto.DataType.INT64.getNumber(), tokens.getType().getTensorType().getElemType());
        assertEquals("sequence", tokens.getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals("batch", tokens.getType().getTensorType().getShape().getDim(1).getDimParam());
        assertEquals(3, proto.getGraph().getInputCount());
        assertEquals(3, proto.getGraph().getOutputCount());
        for (OnnxMl.NodeProto node : proto.getGraph().getNodeList()) {
            if (node.getOpType().equals("LSTM")) {
                assertEquals("", node.getInput(4), "sequence_lens must stay empty");
            }
        }
    }

    @Test
    void metadataCarriesVocabularyTokenizerAndConfig() {
        TrainedModel model = TinyModels.create(CellType.RNN_RELU, 2, 5L);
        OnnxMl.ModelProto proto = OnnxExporter.export(model);
        Map<String, String> meta = proto.getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        for (String key : new String[] {OnnxMetadata.FORMAT, OnnxMetadata.MODEL, OnnxMetadata.VOCABULARY,
                OnnxMetadata.TOKENIZER, OnnxMetadata.PROVENANCE, OnnxMetadata.SIGNATURE}) {
            assertNotNull(meta.get(key), key);
        }
        OnnxMetadata.Contents back = OnnxMetadata.read(meta, "m.onnx");
        assertEquals(model.network().config(), back.config());
        assertEquals(model.tokenizer().vocabulary().symbols(), back.tokenizer().vocabulary().symbols());
        assertTrue(meta.get(OnnxMetadata.PROVENANCE).contains("\"opset\":17"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"rnn-tanh", "rnn-relu"})
    void rnnSignatureSpeaksOfNoCellState(String cell) throws IOException {
        Map<String, String> meta = OnnxExporter.export(TinyModels.create(CellType.parse(cell), 2, 5L)).getMetadataPropsList()
                .stream().collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        String signature = meta.get(OnnxMetadata.SIGNATURE);
        assertFalse(signature.contains("cn") || signature.contains("c0"), signature);
        assertTrue(ModelFiles.JSON.readTree(signature)
                .path("layout").asText().contains("pass hn back as h0"), signature);
    }

    @Test
    void lstmSignatureSaysToPassBothStatesBack() {
        Map<String, String> meta = OnnxExporter.export(TinyModels.create(CellType.LSTM, 1, 5L)).getMetadataPropsList()
                .stream().collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertTrue(meta.get(OnnxMetadata.SIGNATURE).contains("pass hn/cn back as h0/c0"), meta.get(OnnxMetadata.SIGNATURE));
    }

    @ParameterizedTest(name = "tied {0}, residual {1}")
    @CsvSource({"true, false", "false, true", "true, true"})
    void metadataConfigKeepsTiedWeightsAndResidualConnections(boolean tied, boolean residual) {
        TrainedModel model = TinyModels.create(CellType.LSTM, 2, 13L, tied, residual);
        Map<String, String> meta = OnnxExporter.export(model).getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertEquals(model.network().config(), OnnxMetadata.read(meta, "m.onnx").config());
    }

    @Test
    void tiedEmbeddingExportsAsTheTransposedProjection() throws IOException {
        TrainedModel model = TinyModels.create(CellType.LSTM, 2, 11L, true);
        Path file = tmp.resolve("tied.onnx");
        OnnxExporter.write(OnnxExporter.export(model), file);
        VerificationReport report = OnnxVerifier.verify(model, file);
        assertTrue(report.passed(), "max difference " + report.maxAbsDiff());
    }

    @Test
    void tiedModelStoresTheEmbeddingOnceAndTransposesItForTheOutputProjection() {
        TrainedModel model = TinyModels.create(CellType.LSTM, 2, 11L, true);
        int v = model.network().config().vocabSize();
        int h = model.network().config().hidden();
        OnnxMl.GraphProto graph = OnnxExporter.export(model).getGraph();
        List<OnnxMl.TensorProto> tables = graph.getInitializerList().stream()
                .filter(t -> t.getDimsList().equals(List.of((long) v, (long) h)) || t.getDimsList().equals(List.of((long) h, (long) v)))
                .toList();
        assertEquals(1, tables.size(), "one (V, H) table, not the embedding and a transposed copy");
        OnnxMl.NodeProto transpose = graph.getNodeList().stream().filter(n -> n.getOpType().equals("Transpose"))
                .findFirst().orElseThrow(() -> new AssertionError("no Transpose node"));
        assertEquals(tables.get(0).getName(), transpose.getInput(0));
        assertTrue(graph.getNodeList().stream().anyMatch(n -> n.getOpType().equals("MatMul")
                && n.getInput(1).equals(transpose.getOutput(0))), "the head multiplies by the transposed embedding");
    }

    @ParameterizedTest(name = "{0} with {1} layers")
    @CsvSource({"lstm, 2", "lstm, 3", "rnn-tanh, 3"})
    void residualExportAddsEachLayersInputAndMatchesTheEngine(String cell, int layers) {
        TrainedModel model = TinyModels.create(CellType.parse(cell), layers, 21L + layers, false, true);
        Path file = tmp.resolve("residual.onnx");
        OnnxMl.ModelProto proto = OnnxExporter.export(model);
        assertEquals(layers - 1, proto.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Add") && n.getOutput(0).contains("residual")).count(),
                "one Add per layer from layer 1 up");
        OnnxExporter.write(proto, file);
        VerificationReport report = OnnxVerifier.verify(model, file);
        assertTrue(report.passed(), "max |diff| " + report.maxAbsDiff());
        // Without the Add nodes the file would be the plain model's: make sure the skip really matters here.
        TrainedModel plain = TinyModels.create(CellType.parse(cell), layers, 21L + layers, false, false);
        Path plainFile = tmp.resolve("plain.onnx");
        OnnxExporter.write(OnnxExporter.export(plain), plainFile);
        assertFalse(OnnxVerifier.verify(model, plainFile).passed(), "the residual engine differs from a plain graph");
    }

    @Test
    void stabilitySummaryTravelsIntoTheMetadata() {
        TrainedModel tiny = TinyModels.create(CellType.LSTM, 1, 3L);
        com.fasterxml.jackson.databind.node.ObjectNode metrics = tiny.metrics().deepCopy();
        metrics.putObject("stability").put("clipped_fraction", 0.25).put("rollbacks", 1);
        TrainedModel model = new TrainedModel(tiny.network(), tiny.tokenizer(), tiny.training(), tiny.provenance(), metrics);
        Map<String, String> meta = OnnxExporter.export(model).getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertTrue(meta.get(OnnxMetadata.STABILITY).contains("\"clipped_fraction\":0.25"), meta.get(OnnxMetadata.STABILITY));
        Map<String, String> without = OnnxExporter.export(tiny).getMetadataPropsList().stream()
                .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
        assertFalse(without.containsKey(OnnxMetadata.STABILITY));
    }

    @Test
    void truncatedFileGivesOneLineError() throws IOException {
        Path file = tmp.resolve("m.onnx");
        OnnxExporter.write(OnnxExporter.export(TinyModels.create(CellType.LSTM, 1, 1L)), file);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxRunner.open(cut, 1));
        assertTrue(e.getMessage().contains("cut.onnx"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void nonOnnxFileGivesOneLineError() throws IOException {
        Path file = tmp.resolve("notes.onnx");
        Files.writeString(file, "this is not a model\n");
        CheckpointException e = assertThrows(CheckpointException.class, () -> OnnxRunner.open(file, 1));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
