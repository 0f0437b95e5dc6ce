package dev.ballast.training.checkpoint;

import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The content of a pointer file ({@code latest.json}, {@code best.json}): which checkpoint directory,
 * relative to the run directory, plus its step and validation loss. Example:
 * <pre>{@code {"format": "ballast-pointer", "version": 1, "checkpoint": "checkpoints/step-00000600",
 *  "step": 600, "val_loss": 1.71}}</pre>
 * {@code val_loss} is present only when it was known (finite).
 */
record CheckpointPointer(String checkpoint, long step, OptionalDouble valLoss) {

    static final String FORMAT = "ballast-pointer";
    static final int VERSION = 1;

    /** Writes this pointer atomically, so a crash leaves the old pointer or the new one. */
    void write(Path file) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("checkpoint", checkpoint);
        root.put("step", step);
        valLoss.ifPresent(v -> root.put("val_loss", v));
        String text;
        try {
            text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
        AtomicFiles.writeString(file, text);
    }

    /** The directory this pointer names, inside {@code runDir}. */
    Path target(Path runDir) {
        return runDir.resolve(checkpoint);
    }

    /**
     * Reads and validates a pointer file. A missing file is a {@link NoSuchFileException} so callers can
     * treat "no pointer yet" differently from a corrupt one, which is a {@link CheckpointException}.
     */
    static CheckpointPointer read(Path file) throws NoSuchFileException {
        JsonNode root;
        try {
            byte[] bytes = Files.readAllBytes(file);
            root = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid(file, "not valid JSON");
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException("could not read " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (root == null || !root.isObject()) {
            throw invalid(file, "expected a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !FORMAT.equals(format.textValue())) {
            throw invalid(file, "\"format\" must be \"" + FORMAT + "\" but is " + format);
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || version.longValue() < 1) {
            throw invalid(file, "\"version\" must be a positive integer but is " + version);
        }
        if (version.longValue() > VERSION) {
            throw new CheckpointException(file + " has " + FORMAT + " version " + version.longValue()
                    + " but this Ballast reads only version " + VERSION + "; use a newer Ballast");
        }
        JsonNode checkpoint = root.get("checkpoint");
        if (checkpoint == null || !checkpoint.isTextual() || !isInside(checkpoint.textValue())) {
            throw invalid(file, "\"checkpoint\" must be a relative path inside the run directory but is " + checkpoint);
        }
        JsonNode step = root.get("step");
        if (step == null || !step.isIntegralNumber() || !step.canConvertToLong() || step.longValue() < 0) {
            throw invalid(file, "\"step\" must be a non-negative integer but is " + step);
        }
        JsonNode valLoss = root.get("val_loss");
        if (valLoss != null && !valLoss.isNull() && !valLoss.isNumber()) {
            throw invalid(file, "\"val_loss\" must be a number but is " + valLoss);
        }
        return new CheckpointPointer(checkpoint.textValue(), step.longValue(),
                valLoss == null || valLoss.isNull() ? OptionalDouble.empty() : OptionalDouble.of(valLoss.doubleValue()));
    }

    /** A pointer must not lead outside its run directory (a copied or edited run stays self-contained). */
    private static boolean isInside(String relative) {
        try {
            Path p = Path.of(relative);
            return !relative.isEmpty() && !p.isAbsolute() && !p.normalize().startsWith("..");
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static CheckpointException invalid(Path file, String what) {
        return new CheckpointException(file + " is not a valid Ballast pointer file: " + what);
    }
}
