package dev.ballast.training.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.CheckpointException;

/**
 * What every Ballast model file ({@code model.json}, {@code forecaster.json}) starts with and ends with,
 * around the part that only its kind has ({@link ModelDocument#compose}):
 *
 * <pre>
 * {
 *   "format" : "ballast-model", "version" : 1, "kind" : "language-model",
 *   ...the kind's own fields (architecture, tokenizer, config, encoding, ...)...
 *   "weights" : { "file" : "weights.safetensors", "sha256" : "9f86d0..." },
 *   "provenance" : { ... },
 *   "metrics" : { ... }
 * }
 * </pre>
 *
 * {@code version} is also read from {@code format_version} (forecaster files of version 1 spelled it so);
 * {@code kind} and {@code weights} are absent from files written before this header existed.
 *
 * @param format     the file format's name, e.g. {@code ballast-model}
 * @param version    the format version
 * @param kind       what the model is ({@code language-model}, {@code forecaster}); null in older files
 * @param weights    the weights file and its hash; null in older files
 * @param provenance where the model came from; null when not recorded
 * @param metrics    free-form metrics of the saved model; null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"format", "version", "kind", "weights", "provenance", "metrics"})
public record ModelHeader(String format, @JsonAlias("format_version") Integer version, String kind,
                          WeightsRef weights, Provenance provenance, ObjectNode metrics) {

    /**
     * The header of {@code document}, checked to be of {@code format} at a version from 1 to
     * {@code latest}, and of {@code kind} when it names one.
     *
     * @param source names the document in error messages
     * @throws CheckpointException one line naming {@code source} when it is another format, version or
     *                             kind, or a header field is malformed
     */
    public static ModelHeader read(JsonNode document, String format, int latest, String kind, String source) {
        String actual = document.path("format").asText("");
        if (!format.equals(actual)) {
            throw new CheckpointException(source + " is not a " + format + " file (its format is '" + actual + "')");
        }
        ModelHeader header = ModelDocument.bind(document, ModelHeader.class, source);
        if (header.version() == null) {
            throw new CheckpointException(source + " has no format version");
        }
        if (header.version() < 1 || header.version() > latest) {
            throw new CheckpointException(source + " has format version " + header.version()
                    + "; this Ballast reads " + format + " versions 1 to " + latest);
        }
        if (header.kind() != null && !header.kind().equals(kind)) {
            throw new CheckpointException(source + " holds a " + header.kind() + ", not a " + kind);
        }
        return header;
    }

    /** The recorded weights file, or {@code file} unchecked when the header has none (an older file). */
    public WeightsRef weightsOr(String file) {
        return weights != null ? weights : WeightsRef.unchecked(file);
    }

    /** The metrics, empty when there are none. */
    public ObjectNode metricsOrEmpty() {
        return metrics != null ? metrics : JsonNodeFactory.instance.objectNode();
    }
}
