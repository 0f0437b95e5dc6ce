package dev.ballast.training.stability;

import dev.ballast.engine.optim.ClipMode;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.Batches;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.Json;
import dev.ballast.training.chart.SvgChart;
import dev.ballast.training.chart.SvgChart.Style;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes what the stability toolkit saw into the run directory:
 * <ul>
 *   <li>{@code stability.json} (format {@code ballast-stability}, version 1): summary, clip counts and norm
 *       percentiles, incidents with step and corpus offsets, learning-rate and clip changes, spectral norms
 *       and reach-back curves over time, validation gaps, findings, and the per-step series (thinned to
 *       at most {@value #MAX_POINTS} points) from which the charts are drawn;</li>
 *   <li>{@code quarantine.json}: every batch that caused an incident, as token ranges of the training split;</li>
 *   <li>{@code charts/*.svg} and {@code report.html}: loss and validation loss, gradient norm with the clip
 *       threshold, clipped fraction, learning rate, spectral norms; the HTML is self-contained.</li>
 * </ul>
 */
public final class StabilityReport {

    public static final String FILE = "stability.json";
    public static final String QUARANTINE = "quarantine.json";
    public static final String HTML = "report.html";
    static final String FORMAT = "ballast-stability";
    static final int MAX_POINTS = 2000;

    private StabilityReport() {
    }

    /** @param clipMode the clipping mode in force, for the report */
    public static void write(Path runDir, StabilityMonitor m, StabilityGuard guard, Batches batches, ClipMode clipMode) {
        List<Finding> findings = Findings.of(m, batches.window());
        ObjectNode root = toJson(m, guard, batches, clipMode.id(), findings);
        AtomicFiles.writeString(runDir.resolve(FILE), Json.text(root));
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        q.put("format", "ballast-quarantine");
        q.put("version", 1);
        q.put("note", "token offsets into the training split; each range is one stream's window (inputs and targets)");
        ArrayNode quarantined = q.putArray("batches"); // a trend (position -1) is no batch's fault: not quarantined
        root.get("incidents").forEach(i -> {
            if (i.get("data_position").asLong() >= 0) {
                quarantined.add(i);
            }
        });
        AtomicFiles.writeString(runDir.resolve(QUARANTINE), Json.text(q));
        Charts charts = charts(m);
        AtomicFiles.writeString(runDir.resolve("charts").resolve("loss.svg"), charts.loss);
        AtomicFiles.writeString(runDir.resolve("charts").resolve("grad_norm.svg"), charts.grad);
        AtomicFiles.writeString(runDir.resolve("charts").resolve("clipped_fraction.svg"), charts.clipped);
        AtomicFiles.writeString(runDir.resolve("charts").resolve("learning_rate.svg"), charts.lr);
        AtomicFiles.writeString(runDir.resolve("charts").resolve("spectral_norm.svg"), charts.spectral);
        AtomicFiles.writeString(runDir.resolve(HTML), html(root, findings, charts));
    }

    static ObjectNode toJson(StabilityMonitor m, StabilityGuard guard, Batches batches, String clipMode,
                             List<Finding> findings) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.set("summary", m.summary(guard.rollbacks()).put("skipped_steps", guard.skips())
                .put("updates", m.recordedSteps()).put("recovery", guard.enabled() ? "on" : "off"));
        ObjectNode clip = root.putObject("clip");
        clip.put("mode", clipMode);
        clip.put("clipped_steps", m.clippedSteps());
        clip.put("clipped_fraction", m.clippedFraction());
        clip.put("scale", guard.clipScale());
        ObjectNode pct = clip.putObject("grad_norm_percentiles");
        for (int p : new int[] {50, 90, 99}) {
            pct.put("p" + p, finite(m.gradNorm.percentile(p)));
        }
        clip.put("max_grad_norm", m.maxGradNorm());
        ObjectNode layers = root.putObject("layers");
        String[] names = m.layerNames();
        double[] g = m.layerGradNorms();
        double[] w = m.layerWeightNorms();
        double[] u = m.layerUpdateRatios();
        for (int l = 0; l < names.length; l++) {
            layers.putObject(names[l]).put("grad_norm", finite(g[l])).put("weight_norm", finite(w[l]))
                    .put("update_ratio", finite(u[l]));
        }
        ArrayNode incidents = root.putArray("incidents");
        for (Incident i : m.incidents) {
            ObjectNode n = incidents.addObject();
            n.put("step", i.step());
            n.put("kind", i.kind().name().toLowerCase(Locale.ROOT));
            n.put("value", String.valueOf(i.value()));
            n.put("layer", i.layer());
            n.put("action", i.action().name().toLowerCase(Locale.ROOT));
            n.put("data_position", i.position());
            if (i.position() < 0) {
                continue; // a trend over many steps: no one batch to point at
            }
            ArrayNode ranges = n.putArray("token_ranges");
            for (long[] r : batches.sourceRanges(i.position())) {
                ranges.addArray().add(r[0]).add(r[1]);
            }
        }
        ArrayNode changes = root.putArray("lr_changes");
        m.lrChanges.forEach(changes::add);
        ArrayNode diags = root.putArray("diagnostics");
        for (StabilityMonitor.Diagnostic d : m.diagnostics) {
            ObjectNode n = diags.addObject();
            n.put("step", d.step());
            n.set("spectral_norm", StabilityMonitor.array(d.spectral()));
            ArrayNode gs = n.putArray("gate_spectral_norm");
            for (double[] a : d.gateSpectral()) {
                gs.add(StabilityMonitor.array(a));
            }
            ArrayNode gg = n.putArray("gate_grad_norm");
            for (double[] a : d.gateGradNorms()) {
                gg.add(a == null ? f.nullNode() : StabilityMonitor.array(a));
            }
            n.set("forget_saturation", StabilityMonitor.array(d.forgetSaturation()));
            ArrayNode rb = n.putArray("reach_back");
            ArrayNode rk = n.putArray("reach_steps");
            for (float[] curve : d.reachBack()) {
                double[] byK = new double[curve.length]; // index k = steps back from the last step
                for (int k = 0; k < curve.length; k++) {
                    byK[k] = curve[curve.length - 1 - k];
                }
                rb.add(StabilityMonitor.array(byK));
                rk.add(Findings.reach(curve));
            }
        }
        ArrayNode val = root.putArray("validation");
        for (int i = 0; i < m.valLoss.size(); i++) {
            val.addObject().put("step", (long) m.valSteps.get(i)).put("val_loss", m.valLoss.get(i))
                    .put("train_loss", finite(m.trainLossAtVal.get(i)))
                    .put("gap", finite(m.valLoss.get(i) - m.trainLossAtVal.get(i)));
        }
        ArrayNode fs = root.putArray("findings");
        for (Finding x : findings) {
            fs.addObject().put("severity", x.severity()).put("sign", x.sign()).put("step", x.step())
                    .put("layer", x.layer()).put("message", x.message()).put("remedy", x.remedy());
        }
        ObjectNode series = root.putObject("series");
        int stride = Math.max(1, (m.steps.size() + MAX_POINTS - 1) / MAX_POINTS);
        series.put("stride", stride);
        series.set("step", thin(m.steps, stride));
        series.set("loss", thin(m.loss, stride));
        series.set("grad_norm", thin(m.gradNorm, stride));
        series.set("grad_norm_after_clip", thin(m.gradNormAfter, stride));
        series.set("weight_norm", thin(m.weightNorm, stride));
        series.set("clip_threshold", thin(m.threshold, stride));
        series.set("clipped", thin(m.clipped, stride));
        series.set("lr", thin(m.lr, stride));
        series.set("update_ratio", thin(m.updateRatio, stride));
        series.set("penalty_share", thin(m.penaltyShare, stride));
        return root;
    }

    /**
     * On {@code --resume}: reads the {@code stability.json} the run wrote before and puts its per-step
     * series, validations, incidents and learning-rate changes up to {@code upToStep} (the checkpoint's
     * step) back into the fresh monitor, so the report of the continued run covers the whole run. A run
     * longer than {@value #MAX_POINTS} steps continues from the thinned series it saved. No file (a run
     * that was killed before writing one), no history; a file that is not a stability report is an error.
     */
    public static void resumeInto(Path runDir, StabilityMonitor m, long upToStep) {
        Path file = runDir.resolve(FILE);
        if (!java.nio.file.Files.exists(file)) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode root = Json.read(file);
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != 1) {
            throw new dev.ballast.engine.io.CheckpointException(file + " is not a Ballast stability report (format "
                    + FORMAT + " version 1)");
        }
        com.fasterxml.jackson.databind.JsonNode s = root.path("series");
        com.fasterxml.jackson.databind.JsonNode steps = s.path("step");
        String[] keys = {"loss", "grad_norm", "grad_norm_after_clip", "clip_threshold", "clipped", "lr", "penalty_share",
                "update_ratio", "weight_norm"};
        Series[] into = {m.loss, m.gradNorm, m.gradNormAfter, m.threshold, m.clipped, m.lr, m.penaltyShare,
                m.updateRatio, m.weightNorm};
        for (int i = 0; i < steps.size() && steps.get(i).asLong() <= upToStep; i++) {
            m.steps.add(steps.get(i).asDouble());
            for (int k = 0; k < keys.length; k++) {
                com.fasterxml.jackson.databind.JsonNode v = s.path(keys[k]).path(i);
                into[k].add(v.isNumber() ? v.asDouble() : Double.NaN);
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode v : root.path("validation")) {
            if (v.path("step").asLong() <= upToStep) {
                m.valSteps.add(v.path("step").asDouble());
                m.valLoss.add(v.path("val_loss").asDouble());
                m.trainLossAtVal.add(v.path("train_loss").isNumber() ? v.path("train_loss").asDouble() : Double.NaN);
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode i : root.path("incidents")) {
            if (i.path("step").asLong() <= upToStep) {
                // The counters (non-finite steps) come back with the checkpoint's state: only the list is restored.
                m.incidents.add(new Incident(i.path("step").asLong(),
                        Incident.Kind.valueOf(i.path("kind").asText().toUpperCase(Locale.ROOT)),
                        Double.parseDouble(i.path("value").asText()), i.path("layer").asText(),
                        i.path("data_position").asLong(),
                        Incident.Action.valueOf(i.path("action").asText().toUpperCase(Locale.ROOT))));
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode c : root.path("lr_changes")) {
            if (c.path("step").asLong() <= upToStep && c.isObject()) {
                m.lrChanges.add((ObjectNode) c);
            }
        }
    }

    private static ArrayNode thin(Series s, int stride) {
        double[] all = s.toArray();
        double[] out = new double[(all.length + stride - 1) / stride];
        for (int i = 0; i < out.length; i++) {
            out[i] = all[i * stride];
        }
        return StabilityMonitor.array(out);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private record Charts(String loss, String grad, String clipped, String lr, String spectral) {
    }

    private static Charts charts(StabilityMonitor m) {
        double[] steps = m.steps.toArray();
        String loss = new SvgChart("Loss").xLabel("step").yLabel("loss").includeX(0)
                .line("training (per step)", steps, m.loss.toArray(), SvgChart.BLUE)
                .line("validation", m.valSteps.toArray(), m.valLoss.toArray(), SvgChart.RED, Style.MARKERS).render();
        String grad = new SvgChart("Gradient norm").xLabel("step").yLabel("L2 norm").logY().includeX(0)
                .line("before clipping", steps, m.gradNorm.toArray(), SvgChart.GREEN)
                .line("clip threshold", steps, m.threshold.toArray(), SvgChart.RED, Style.DASHED).render();
        double[] c = m.clipped.toArray();
        double[] running = new double[c.length]; // percentage of the last 50 steps that were clipped
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            sum += c[i] - (i >= 50 ? c[i - 50] : 0);
            running[i] = 100 * sum / Math.min(i + 1, 50);
        }
        String clipped = new SvgChart("Clipped steps (share of the last 50)").xLabel("step").yLabel("% clipped")
                .includeX(0).includeY(0).includeY(100).ifAllZero("no steps clipped")
                .line("clipped", steps, running, SvgChart.ORANGE).render();
        String lr = new SvgChart("Learning rate").xLabel("step").yLabel("learning rate").includeX(0).includeY(0)
                .line("learning rate", steps, m.lr.toArray(), SvgChart.PURPLE, Style.STEP).render();
        SvgChart spectral = new SvgChart("Spectral norm of the recurrent matrices").xLabel("step")
                .yLabel("largest singular value").includeX(0).ifEmpty("no spectral norms: diagnoses were off");
        if (steps.length > 0) {
            spectral.includeX(steps[steps.length - 1]); // the same steps as the other charts
        }
        int layers = m.diagnostics.isEmpty() ? 0 : m.diagnostics.get(0).spectral().length;
        for (int l = 0; l < layers; l++) {
            double[] x = new double[m.diagnostics.size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = m.diagnostics.get(i).step();
                y[i] = m.diagnostics.get(i).spectral()[l];
            }
            spectral.line("layers." + l, x, y, SvgChart.PALETTE.get(l % SvgChart.PALETTE.size()), Style.MARKERS);
        }
        return new Charts(loss, grad, clipped, lr, spectral.render());
    }

    private static String html(ObjectNode root, List<Finding> findings, Charts charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Ballast stability report</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:700px;margin:2em auto;color:#222}"
                        + "td,th{padding:2px 10px;text-align:left}.error{color:#b00}.warning{color:#a60}"
                        + "pre{background:#f6f6f6;padding:8px;overflow:auto}svg{display:block;margin:14px 0}</style></head><body>\n")
                .append("<h1>Stability report</h1>\n<h2>Summary</h2>\n<table>\n");
        root.get("summary").fields().forEachRemaining(e -> sb.append("<tr><th>").append(SvgChart.escape(e.getKey()))
                .append("</th><td>").append(SvgChart.escape(e.getValue().asText())).append("</td></tr>\n"));
        sb.append("</table>\n<h2>Findings</h2>\n");
        if (findings.isEmpty()) {
            sb.append("<p>Nothing to report: no incidents and no warning signs.</p>\n");
        } else {
            sb.append("<ul>\n");
            for (Finding x : findings) {
                sb.append("<li class=\"").append(x.severity()).append("\">").append(SvgChart.escape(x.line()))
                        .append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        sb.append("<h2>Charts</h2>\n");
        for (String svg : List.of(charts.loss, charts.grad, charts.clipped, charts.lr, charts.spectral)) {
            sb.append(svg);
        }
        sb.append("<h2>Clipping</h2>\n<pre>").append(SvgChart.escape(Json.text(root.get("clip"))))
                .append("</pre>\n</body></html>\n");
        return sb.toString();
    }
}
