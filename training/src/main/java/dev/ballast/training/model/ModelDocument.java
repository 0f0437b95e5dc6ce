package dev.ballast.training.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads, writes and binds the JSON documents of model directories, through the one mapper
 * ({@link Json#MAPPER}: duplicate keys and trailing junk are errors). Every failure is a one-line
 * {@link CheckpointException} naming the file, and for a field that does not bind, the field's path.
 *
 * <pre>{@code
 * ObjectNode doc = ModelDocument.compose(header, new Body(architecture, tokenizer, training));
 * ModelDocument.write(dir.resolve("model.json"), doc);
 * JsonNode back = ModelDocument.read(dir.resolve("model.json"));
 * Body body = ModelDocument.bind(back, Body.class, "model.json");
 * }</pre>
 */
public final class ModelDocument {

    private ModelDocument() {
    }

    /**
     * The document of a model file: the header's {@code format}, {@code version} and {@code kind}, then
     * {@code body}'s fields (a record bound to JSON; they must not reuse a header field name), then the
     * header's {@code weights}, {@code provenance} and {@code metrics}. Null fields are left out.
     */
    public static ObjectNode compose(ModelHeader header, Object body) {
        ObjectNode head = Json.MAPPER.valueToTree(header);
        ObjectNode fields = Json.MAPPER.valueToTree(body);
        ObjectNode doc = Json.MAPPER.createObjectNode();
        for (String key : new String[] {"format", "version", "kind"}) {
            if (head.has(key)) {
                doc.set(key, head.remove(key));
            }
        }
        for (Map.Entry<String, JsonNode> e : fields.properties()) {
            if (head.has(e.getKey()) || doc.has(e.getKey())) {
                throw new IllegalArgumentException("body field '" + e.getKey() + "' is a header field");
            }
            doc.set(e.getKey(), e.getValue());
        }
        doc.setAll(head);
        return doc;
    }

    /** Writes {@code document} pretty-printed, with a final newline, atomically replacing {@code file}. */
    public static void write(Path file, JsonNode document) {
        AtomicFiles.writeString(file, toJson(document));
    }

    /** {@code node} pretty-printed, with a final newline. */
    public static String toJson(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** Reads a JSON file that must hold one object. */
    public static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("missing file " + file);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new CheckpointException(file + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + " is not valid JSON: " + Json.firstLine(e.getOriginalMessage())
                    + " (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + AtomicFiles.describe(e));
        }
    }

    /**
     * Binds {@code node} to {@code type}.
     *
     * @param source names the document in error messages
     * @throws CheckpointException {@code "<source>: <field path>: <what is wrong>"} when it does not bind,
     *                             including a value the type's constructor or builder rejects
     */
    public static <T> T bind(JsonNode node, Class<T> type, String source) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CheckpointException(source + ": " + describe(e));
        }
    }

    /** The field path and the first line of the innermost message of a binding failure. */
    static String describe(Exception e) {
        String path = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[") : "";
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage();
        return (path.isEmpty() ? "" : path + ": ") + Json.firstLine(message);
    }
}
