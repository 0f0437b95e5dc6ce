package dev.ballast.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.training.model.Provenance;

import java.time.Instant;

/**
 * The {@code ballast.provenance} value of an exported file: the provenance the model was saved with, plus
 * an {@code export} block saying what wrote the file (Ballast version, JDK, OS, opset, IR version).
 */
final class ExportProvenance {

    private ExportProvenance() {
    }

    /** A copy of {@code saved} with the export block added. */
    static ObjectNode of(ObjectNode saved) {
        ObjectNode provenance = saved.deepCopy();
        provenance.set("export", exportBlock());
        return provenance;
    }

    private static ObjectNode exportBlock() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("ballast_version", Provenance.currentVersion());
        n.put("exported", Instant.now().toString());
        n.put("java_version", System.getProperty("java.version"));
        n.put("java_vendor", System.getProperty("java.vendor"));
        n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        n.put("arch", System.getProperty("os.arch"));
        n.put("opset", OnnxOps.OPSET);
        n.put("ir_version", OnnxExporter.IR_VERSION);
        n.put("exporter", "org.tribuo.util.onnx");
        return n;
    }
}
