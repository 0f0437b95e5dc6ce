package dev.ballast.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.SafeTensors;
import dev.ballast.engine.io.SafeTensorsFile;
import dev.ballast.engine.io.TensorData;
import dev.ballast.engine.io.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a checkpoint holds beyond the model, so that a resumed run continues exactly: the step,
 * optimizer moments, learning-rate schedule position, dropout RNG state, data cursor and the hidden
 * state carried between windows. Stored next to the model files as {@code trainer-state.json}
 * (format {@code ballast-trainer-state}, version 1) and {@code resume.safetensors}.
 */
record TrainingCheckpoint(long step, long optimizerSteps, Map<String, float[]> optimizerSlots,
                          Map<String, Double> schedule, long dropoutRng, long dataPosition,
                          float[][] stateH, float[][] stateC, double bestValLoss, long tokensSeen) {

    static final String STATE_JSON = "trainer-state.json";
    static final String TENSORS = "resume.safetensors";
    static final String FORMAT = "ballast-trainer-state";

    void save(Path dir, String optimizerName) {
        // Sorted by name, so the same state always gives the same bytes, whatever map the slots came in.
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        new TreeMap<>(optimizerSlots).forEach((k, v) -> tensors.put("optimizer/" + k, new TensorData(new int[] {v.length}, v.clone())));
        for (int l = 0; l < stateH.length; l++) {
            tensors.put("state/h/" + l, new TensorData(new int[] {stateH[l].length}, stateH[l].clone()));
            if (stateC[l] != null) {
                tensors.put("state/c/" + l, new TensorData(new int[] {stateC[l].length}, stateC[l].clone()));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "ballast-resume");
        meta.put("format_version", "1");
        SafeTensors.write(dir.resolve(TENSORS), tensors, meta);

        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("format", FORMAT);
        n.put("version", 1);
        n.put("step", step);
        n.put("optimizer", optimizerName);
        n.put("optimizer_steps", optimizerSteps);
        ObjectNode s = n.putObject("schedule");
        new TreeMap<>(schedule).forEach(s::put);
        // RNG state as text: JSON numbers lose precision past 2^53 in many readers.
        n.put("dropout_rng", Long.toString(dropoutRng));
        n.put("data_position", dataPosition);
        if (Double.isFinite(bestValLoss)) {
            n.put("best_val_loss", bestValLoss);
        }
        n.put("tokens_seen", tokensSeen);
        AtomicFiles.writeString(dir.resolve(STATE_JSON), Json.text(n));
    }

    static TrainingCheckpoint load(Path dir, int layers, boolean lstm) {
        Path jsonFile = dir.resolve(STATE_JSON);
        JsonNode n = Json.read(jsonFile);
        if (!FORMAT.equals(n.path("format").asText()) || n.path("version").asInt() != 1) {
            throw new CheckpointException(jsonFile + " is not a Ballast trainer state (format " + FORMAT + " version 1)");
        }
        SafeTensorsFile file = SafeTensors.read(dir.resolve(TENSORS));
        Map<String, float[]> slots = new LinkedHashMap<>();
        file.tensors().forEach((k, v) -> {
            if (k.startsWith("optimizer/")) {
                slots.put(k.substring("optimizer/".length()), v.data());
            }
        });
        float[][] h = new float[layers][];
        float[][] c = new float[layers][];
        for (int l = 0; l < layers; l++) {
            h[l] = tensor(file, dir, "state/h/" + l);
            c[l] = lstm ? tensor(file, dir, "state/c/" + l) : null;
        }
        Map<String, Double> schedule = new LinkedHashMap<>();
        n.path("schedule").fields().forEachRemaining(e -> schedule.put(e.getKey(), e.getValue().asDouble()));
        long rng;
        try {
            rng = Long.parseLong(n.path("dropout_rng").asText());
        } catch (NumberFormatException e) {
            throw new CheckpointException(jsonFile + ": dropout_rng must be an integer");
        }
        return new TrainingCheckpoint(n.path("step").asLong(), n.path("optimizer_steps").asLong(), slots, schedule,
                rng, n.path("data_position").asLong(), h, c,
                n.has("best_val_loss") ? n.get("best_val_loss").asDouble() : Double.NaN,
                n.path("tokens_seen").asLong());
    }

    private static float[] tensor(SafeTensorsFile file, Path dir, String name) {
        TensorData t = file.tensors().get(name);
        if (t == null) {
            throw new CheckpointException(dir.resolve(TENSORS) + " has no tensor '" + name + "'");
        }
        return t.data();
    }
}
