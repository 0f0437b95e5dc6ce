package dev.ballast.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.training.model.Provenance;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code ballast.provenance} value of an exported file: the provenance the model was saved with, its
 * data sources named by file name only, plus an {@code export} block saying what wrote the file (Ballast
 * version, JDK, OS, opset, IR version). It holds no export time and no local path, so exporting the same
 * model twice writes the same bytes and the file says nothing of the machine's folders.
 */
final class ExportProvenance {

    /** The provenance keys that name where the training data came from: a path, or several joined by commas. */
    private static final List<String> SOURCE_KEYS = List.of("corpus", "source");

    private ExportProvenance() {
    }

    /** A copy of {@code saved} with its sources as file names and the export block added. */
    static ObjectNode of(ObjectNode saved) {
        ObjectNode provenance = withFileNames(saved);
        provenance.set("export", exportBlock());
        return provenance;
    }

    /** A copy of {@code saved} whose sources are file names: {@code /data/corpora/ptb.txt} becomes {@code ptb.txt}. */
    static ObjectNode withFileNames(ObjectNode saved) {
        ObjectNode provenance = saved.deepCopy();
        for (String key : SOURCE_KEYS) {
            if (provenance.path(key).isTextual()) {
                provenance.put(key, Arrays.stream(provenance.get(key).asText().split(",", -1))
                        .map(ExportProvenance::fileName).collect(Collectors.joining(",")));
            }
        }
        return provenance;
    }

    // "/srv/corpora/ptb/" -> "ptb"; a name or a description without a separator stays as it is
    private static String fileName(String source) {
        if (source.indexOf('/') < 0 && source.indexOf('\\') < 0) {
            return source;
        }
        String path = source.strip().replaceAll("[/\\\\]+$", "");
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }

    private static ObjectNode exportBlock() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("ballast_version", Provenance.currentVersion());
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
