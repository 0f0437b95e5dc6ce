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
import java.util.ArrayList;
import java.util.List;

/**
 * The stability toolkit's part of a checkpoint, {@code stability-state.json} (format
 * {@code ballast-stability-state}, version 2: each detector's state as named fields; version 1's positional
 * arrays are still read): everything of it that changes training — the spike
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
        n.put("version", VERSION);
        n.set("spike", named(SPIKE, guard.spikes().state()));
        n.set("recovery", named(RECOVERY, guard.policy().state()));
        n.set("counters", named(COUNTERS, monitor.counters()));
        n.set("regression", named(REGRESSION, guard.regression().state()));
        n.set("clip_alarm", named(CLIP_ALARM, guard.clipAlarm().state()));
        n.set("validation", named(VALIDATION, guard.validationState()));
        n.put("lr_cuts", guard.policy().lrCuts());
        n.put("rescales", guard.policy().rescales());
        n.put("exploding_streak", guard.recurrence().streak());
        if (clipper instanceof AutoClipper auto) {
            n.set("autoclip_history", StabilityMonitor.array(auto.history()));
        }
        if (guard.trendDue()) {
            // Written between a step and its trend check: the resumed run runs that check first.
            n.set("pending_trend", named(PENDING_TREND, monitor.lastClip()));
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
        int version = n.path("version").asInt();
        if (!FORMAT.equals(n.path("format").asText()) || version < 1 || version > VERSION) {
            throw new CheckpointException(file + " is not a Ballast stability state (format " + FORMAT + " version 1 or "
                    + VERSION + ")");
        }
        double[] spike = values(n, "spike", SPIKE, file);
        if (spike.length > 0) {
            guard.spikes().restore(spike);
        }
        double[] recovery = values(n, "recovery", RECOVERY, file);
        if (recovery.length > 0) {
            guard.policy().restore(recovery);
        }
        double[] counters = values(n, "counters", COUNTERS, file);
        if (counters.length > 0) {
            monitor.restoreCounters(counters);
        }
        // Added later than the rest: a checkpoint without them starts these rules afresh.
        double[] regression = values(n, "regression", REGRESSION, file);
        if (regression.length > 0) {
            guard.regression().restore(regression);
        }
        double[] alarm = values(n, "clip_alarm", CLIP_ALARM, file);
        if (alarm.length > 0) {
            guard.clipAlarm().restore(alarm);
        }
        double[] validation = values(n, "validation", VALIDATION, file);
        if (validation.length > 0) {
            guard.restoreValidation(validation);
        }
        guard.policy().restoreLrCuts(n.path("lr_cuts").asInt(0));
        guard.policy().restoreRescales(n.path("rescales").asInt(0));
        guard.recurrence().restore(n.path("exploding_streak").asInt(0));
        double[] pending = values(n, "pending_trend", PENDING_TREND, file);
        if (pending.length == 2) {
            guard.deferTrend(pending[0], pending[1]);
        }
        if (clipper instanceof AutoClipper auto && n.has("autoclip_history")) {
            auto.restore(doubles(n, "autoclip_history", file));
        }
    }

    /**
     * A block's fields by name, in the order its detector's {@code state()} lists them, then (for
     * {@link Schema#tail}) the variable-length rest as an array. Version 1 files wrote the bare array.
     */
    record Schema(List<String> fields, String tail) {
    }

    static final int VERSION = 2;
    static final Schema SPIKE = new Schema(List.of("ema", "count", "best"), null);
    static final Schema RECOVERY = new Schema(List.of("lr_scale", "clip_scale", "consecutive", "rollbacks", "skips"),
            "quarantined");
    static final Schema COUNTERS = new Schema(List.of("recorded_steps", "clipped_steps", "nonfinite_steps",
            "max_grad_norm"), null);
    static final Schema REGRESSION = new Schema(List.of("ema", "count", "best", "above"), null);
    static final Schema CLIP_ALARM = new Schema(List.of("filled", "next", "count"), "far");
    static final Schema VALIDATION = new Schema(List.of("best", "above"), null);
    static final Schema PENDING_TREND = new Schema(List.of("grad_norm", "threshold"), null);

    /** {@code values} as an object of named fields; a non-finite value (e.g. "no best yet") is null. */
    static ObjectNode named(Schema schema, double[] values) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        int k = schema.fields().size();
        for (int i = 0; i < k && i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                o.put(schema.fields().get(i), values[i]);
            } else {
                o.putNull(schema.fields().get(i));
            }
        }
        if (schema.tail() != null) {
            o.set(schema.tail(), StabilityMonitor.array(java.util.Arrays.copyOfRange(values, Math.min(k, values.length),
                    values.length)));
        }
        return o;
    }

    /** A block read back into its positional form: named fields (version 2) or the bare array (version 1). */
    static double[] values(JsonNode n, String key, Schema schema, Path file) {
        JsonNode b = n.path(key);
        if (!b.isObject()) {
            return doubles(n, key, file);
        }
        List<Double> out = new ArrayList<>();
        for (String f : schema.fields()) {
            JsonNode v = b.path(f);
            if (v.isMissingNode() || !(v.isNumber() || v.isNull())) {
                throw new CheckpointException(file + ": '" + key + "." + f + "' must be a number or null");
            }
            out.add(v.isNull() ? Double.NaN : v.asDouble());
        }
        if (schema.tail() != null) {
            for (double v : doubles(b, schema.tail(), file)) {
                out.add(v);
            }
        }
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
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
