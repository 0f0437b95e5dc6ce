package dev.ballast.cli;

import dev.ballast.inference.InferenceModel;
import dev.ballast.inference.Score;
import dev.ballast.inference.Scorer;
import dev.ballast.lm.ModelFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ballast score}: how likely a model finds a text. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a text: each token's log-probability and the perplexity.",
                "Also reports bits per token. --model is a run or checkpoint directory",
                "(Ballast's engine) or an exported .onnx file (ONNX Runtime)."},
        footer = {"", "Examples:", "  ballast score --model runs/shakespeare --text 'To be, or not to be'",
                "  ballast score --model shakespeare.onnx --text 'To be, or not to be' --json"})
final class ScoreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE.onnx", description = "A run or checkpoint directory, or an ONNX file from 'ballast export'.")
    Path model;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The text to score.")
    String text;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Compute threads, 0 = default (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print one JSON object with the totals, every token's log-probability, and the input and target token ids.")
    boolean json;

    @Override
    public Integer call() {
        try (InferenceModel m = InferenceModel.open(model, threads)) {
            Score s = Scorer.score(m, text);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                var n = s.toJson(true);
                n.put("backend", m.info().backend());
                var info = m.info().toJson();
                info.remove("provenance");
                n.set("model", info);
                out.println(ModelFiles.toJson(n).strip());
            } else {
                out.printf(Locale.ROOT, "tokens %d  log-prob %.4f  loss %.4f nats/token  perplexity %.4f  bits/token %.4f  (%s)%n",
                        s.tokens(), s.total(), s.meanLoss(), s.perplexity(), s.bitsPerToken(), m.info().backend());
            }
            out.flush();
        }
        return 0;
    }
}
