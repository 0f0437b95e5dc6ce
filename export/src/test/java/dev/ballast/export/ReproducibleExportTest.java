package dev.ballast.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl;
import dev.ballast.engine.nn.CellType;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.Strategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exporting the same model twice, in one JVM or in two, writes the same bytes. */
class ReproducibleExportTest {

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
}
