package dev.ballast.training.stability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;
import dev.ballast.engine.optim.AutoClipper;
import dev.ballast.engine.optim.GradientClipper;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stability toolkit's part of a checkpoint, {@code stability-state.json} (format
 * {@code ballast-stability-state}, version 1): everything of it that changes training — the spike
 * detector's average, the recovery's learning-rate and clip scales, retry counters and quarantined
 * batches, the AutoClip norm history — plus the monitor's counters and the slow-trend rules' state (loss regression average, clip alarm window,
 * best validation), so a resumed run continues exactly.
 * Doubles are written as Java's shortest round-trip text, so they read back bit for bit.
 */
public final class StabilityState {

    public static final String FILE = "stability-state.json";
    static final String FORMAT = "ballast-stability-state";

    private StabilityState() {
    }

    public static void save(Path checkpointDir, StabilityGuard guard, StabilityMonitor monitor, GradientClipper clipper) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("format", FORMAT);
        n.put("version", 1);
        n.set("spike", StabilityMonitor.array(guard.spikes().state()));
        n.set("recovery", StabilityMonitor.array(guard.policy().state()));
        n.set("counters", StabilityMonitor.array(monitor.counters()));
        n.set("regression", StabilityMonitor.array(guard.regression().state()));
        n.set("clip_alarm", StabilityMonitor.array(guard.clipAlarm().state()));
        n.set("validation", StabilityMonitor.array(guard.validationState()));
        n.put("lr_cuts", guard.policy().lrCuts());
        n.put("rescales", guard.policy().rescales());
        n.put("exploding_streak", guard.recurrence().streak());
        if (clipper instanceof AutoClipper auto) {
            n.set("autoclip_history", StabilityMonitor.array(auto.history()));
        }
        if (guard.trendDue()) {
            // Written between a step and its trend check: the resumed run runs that check first.
            n.set("pending_trend", StabilityMonitor.array(monitor.lastClip()));
        }
        AtomicFiles.writeString(checkpointDir.resolve(FILE), Json.text(n));
    }

    /** Restores what {@link #save} wrote; a checkpoint without the file (older runs) leaves the defaults. */
    public static void load(Path checkpointDir, StabilityGuard guard, StabilityMonitor monitor, GradientClipper clipper) {
        Path file = checkpointDir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        JsonNode n = Json.read(file);
        if (!FORMAT.equals(n.path("format").asText()) || n.path("version").asInt() != 1) {
            throw new CheckpointException(file + " is not a Ballast stability state (format " + FORMAT + " version 1)");
        }
        double[] spike = doubles(n, "spike", file);
        if (spike.length > 0) {
            guard.spikes().restore(spike);
        }
        double[] recovery = doubles(n, "recovery", file);
        if (recovery.length > 0) {
            guard.policy().restore(recovery);
        }
        double[] counters = doubles(n, "counters", file);
        if (counters.length > 0) {
            monitor.restoreCounters(counters);
        }
        // Added later than the rest: a checkpoint without them starts these rules afresh.
        double[] regression = doubles(n, "regression", file);
        if (regression.length > 0) {
            guard.regression().restore(regression);
        }
        double[] alarm = doubles(n, "clip_alarm", file);
        if (alarm.length > 0) {
            guard.clipAlarm().restore(alarm);
        }
        double[] validation = doubles(n, "validation", file);
        if (validation.length > 0) {
            guard.restoreValidation(validation);
        }
        guard.policy().restoreLrCuts(n.path("lr_cuts").asInt(0));
        guard.policy().restoreRescales(n.path("rescales").asInt(0));
        guard.recurrence().restore(n.path("exploding_streak").asInt(0));
        double[] pending = doubles(n, "pending_trend", file);
        if (pending.length == 2) {
            guard.deferTrend(pending[0], pending[1]);
        }
        if (clipper instanceof AutoClipper auto && n.has("autoclip_history")) {
            auto.restore(doubles(n, "autoclip_history", file));
        }
    }

    static double[] doubles(JsonNode n, String key, Path file) {
        JsonNode a = n.path(key);
        if (a.isMissingNode()) {
            return new double[0];
        }
        if (!a.isArray()) {
            throw new CheckpointException(file + ": '" + key + "' must be an array of numbers");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).isNull() ? Double.NaN : a.get(i).asDouble();
        }
        return out;
    }
}
