package dev.ballast.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one JSON mapper for the files Ballast reads and writes. Strict on input, because these files are
 * written by programs and a duplicate key or trailing junk means a damaged file, not a choice to guess at.
 */
public final class Json {

    /** Duplicate keys and junk after the JSON value are errors, not silently ignored. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** Reads a JSON object from {@code file}; a missing file or bad JSON is one line naming the file. */
    public static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("missing file " + file);
        }
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new CheckpointException(file + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file + " is not valid JSON: " + firstLine(e.getOriginalMessage())
                    + " (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + FileErrors.describe(e));
        }
    }

    /** Pretty-printed text of {@code value} with a final newline, as every Ballast JSON file is written. */
    public static String text(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The first line of a message, trimmed (parsers and native libraries append source excerpts and
     * stack traces on later lines); {@code "unknown error"} for a null message.
     */
    public static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
