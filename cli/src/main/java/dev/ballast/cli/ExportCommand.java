package dev.ballast.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.export.ForecastOnnxExporter;
import dev.ballast.export.ForecastOnnxVerifier;
import dev.ballast.export.OnnxExporter;
import dev.ballast.export.OnnxVerifier;
import dev.ballast.export.VerificationReport;
import dev.ballast.engine.InputException;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ballast export}: write a trained model as ONNX, optionally checking it in ONNX Runtime. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a trained language model or forecaster to ONNX (opset 17).",
                "A language model takes token ids and states and returns log-probabilities and",
                "states; its vocabulary, tokenizer, configuration and provenance go into the",
                "file's metadata. A forecaster directory (with forecaster.json, from 'ballast",
                "forecast') takes encoded rows and states and returns scaled predictions and",
                "states, with the encoding, scaler, configuration and intervals in the metadata."},
        footer = {"",
                "Examples:",
                "  ballast export --model runs/shakespeare --out shakespeare.onnx --verify",
                "  ballast generate --model shakespeare.onnx --prime 'ROMEO:'",
                "  ballast export --model runs/forecast --out forecaster.onnx --verify",
                "",
                "(runs/forecast: a forecaster's run directory, from 'ballast forecast')",
                "With --verify a maximum log-probability difference above 1e-4 fails the command",
                "(exit 1)."})
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .onnx file to write; an existing file is refused without --overwrite, and a path among the model's own files always.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out file (never one of the model's own files).")
    boolean overwrite;

    @Option(names = "--verify", description = "Run the file in ONNX Runtime against Ballast's engine on several batch sizes and lengths.")
    boolean verify;

    @Option(names = "--json", description = "Print one JSON object: out, bytes, opset, and the verification when asked.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw new InputException("--out " + out + " is a directory; name the .onnx file to write");
        }
        Path modelPath = modelOptions.path();
        OutputPaths.refuseInsideModel(out, modelPath);
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new dev.ballast.engine.InputException("--out " + out + " already exists; give --overwrite to replace it, or another --out");
        }
        boolean forecaster = Files.isRegularFile(modelPath.resolve(ForecasterFiles.METADATA));
        TrainedModel model = null;
        Forecaster f = null;
        if (forecaster) {
            f = ForecasterFiles.load(modelPath);
            OnnxExporter.write(ForecastOnnxExporter.export(f, ForecasterFiles.readJson(modelPath)), out);
        } else {
            model = modelOptions.load();
            OnnxExporter.write(OnnxExporter.export(model), out);
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("out", out.toString());
        n.put("bytes", Files.size(out));
        n.put("opset", dev.ballast.export.OnnxOps.OPSET);
        n.put("ir_version", OnnxExporter.IR_VERSION);
        n.put("kind", forecaster ? "forecaster" : "language-model");
        VerificationReport report = !verify ? null
                : forecaster ? ForecastOnnxVerifier.verify(f, out) : OnnxVerifier.verify(model, out);
        String compared = forecaster ? "scaled prediction" : "log-prob";
        PrintWriter w = spec.commandLine().getOut();
        if (report != null) {
            ObjectNode v = n.putObject("verify");
            v.put("max_abs_diff", report.maxAbsDiff());
            v.put("tolerance", report.tolerance());
            v.put("passed", report.passed());
            ArrayNode cases = v.putArray("cases");
            for (VerificationReport.Case c : report.cases()) {
                ObjectNode cn = cases.addObject();
                cn.put("batch", c.batch());
                ArrayNode lengths = cn.putArray("lengths");
                for (int len : c.lengths()) {
                    lengths.add(len);
                }
                cn.put("max_abs_diff", c.maxAbsDiff());
            }
        }
        if (json) {
            w.println(ModelFiles.toJson(n).strip());
        } else {
            w.printf(Locale.ROOT, "wrote %s (%d bytes, opset %d)%n", out, Files.size(out), dev.ballast.export.OnnxOps.OPSET);
            if (report != null) {
                w.printf(Locale.ROOT, "verify: max |%s difference| %.3g over batches 1, 2, 5%s (tolerance %.0e): %s%n",
                        compared, report.maxAbsDiff(), forecaster ? " and several lengths" : " with carried state",
                        report.tolerance(), report.passed() ? "ok" : "MISMATCH");
            }
        }
        w.flush();
        if (report != null && !report.passed()) {
            spec.commandLine().getErr().printf(Locale.ROOT, "ballast export: verification failed: max difference %.3g exceeds %.0e%n",
                    report.maxAbsDiff(), report.tolerance());
            return BallastCommand.EXIT_FAILED;
        }
        return 0;
    }
}
