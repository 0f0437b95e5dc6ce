package dev.ballast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.lm.ModelFiles;
import dev.ballast.training.stability.StabilityReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ballast diagnose RUN_DIR}: what the stability monitor saw in a run, in plain words. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Explain a run's stability in plain words.",
                "Reads RUN_DIR/stability.json and reports incidents, clipping, spectral norms,",
                "gradient reach-back and warning signs (NaN loss, growing weights, gradients far",
                "above the clip, loss not improving, vanishing gradients), each with the step,",
                "the layer and a remedy."})
final class DiagnoseCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by 'ballast train'.")
    Path runDir;
    @Option(names = "--json", description = "Print the summary and findings as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        runDir = dev.ballast.training.checkpoint.RunLink.follow(runDir);
        Path file = runDir.resolve(StabilityReport.FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file + " does not exist; is " + runDir + " a run directory of 'ballast train'?");
        }
        JsonNode n = ModelFiles.readJson(file);
        if (!"ballast-stability".equals(n.path("format").asText())) {
            throw new CheckpointException(file + " is not a Ballast stability report (format ballast-stability)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode o = ModelFiles.JSON.createObjectNode();
            o.set("summary", n.get("summary"));
            o.set("findings", n.get("findings"));
            out.println(ModelFiles.toJson(o).strip());
            out.flush();
            return 0;
        }
        JsonNode s = n.path("summary");
        out.printf(Locale.ROOT, "%s: %d updates (a rollback's replayed steps count again), clipped %.1f%% of them, max gradient norm %.4g, %d incidents "
                        + "(%d non-finite), %d skipped, %d rollbacks, recovery %s%n", runDir, s.path("updates").asLong(),
                100 * s.path("clipped_fraction").asDouble(), s.path("max_grad_norm").asDouble(),
                s.path("incidents").asInt(), s.path("nonfinite_steps").asInt(), s.path("skipped_steps").asInt(),
                s.path("rollbacks").asInt(), s.path("recovery").asText());
        JsonNode pct = n.path("clip").path("grad_norm_percentiles");
        out.printf(Locale.ROOT, "gradient norm before clipping: median %s, p90 %s, p99 %s%n", pct.path("p50").asText(),
                pct.path("p90").asText(), pct.path("p99").asText());
        JsonNode diags = n.path("diagnostics");
        if (diags.size() > 0) {
            JsonNode d = diags.get(diags.size() - 1);
            out.printf(Locale.ROOT, "at step %d: spectral norm of recurrent matrices %s; gradient reach (steps back to 1%%) %s%n",
                    d.path("step").asLong(), d.path("spectral_norm"), d.path("reach_steps"));
        }
        JsonNode findings = n.path("findings");
        if (findings.isEmpty()) {
            out.println("no findings: no incidents and no warning signs.");
        }
        for (JsonNode f : findings) {
            long step = f.path("step").asLong();
            String layer = f.path("layer").asText();
            out.printf(Locale.ROOT, "[%s] %s: %s%s: %s%n    try: %s%n", f.path("severity").asText(), f.path("sign").asText(),
                    step > 0 ? "step " + step : "run", layer.isEmpty() ? "" : ", " + layer, f.path("message").asText(),
                    f.path("remedy").asText());
        }
        Path html = runDir.resolve(StabilityReport.HTML);
        if (Files.exists(html)) {
            out.println("charts: " + html);
        }
        out.flush();
        return 0;
    }
}
