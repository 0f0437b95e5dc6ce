package dev.ballast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.inference.GenerationRequest;
import dev.ballast.inference.Generator;
import dev.ballast.inference.InferenceModel;
import dev.ballast.engine.InputException;
import dev.ballast.lm.generate.SamplingOptions;
import dev.ballast.lm.ModelFiles;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ballast generate}: sample text from a trained model. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate text from a trained model, continuing an optional prime.",
                "--model may also be an exported .onnx file (run with ONNX Runtime)."},
        footer = {"",
                "Examples:",
                "  ballast generate --model runs/shakespeare --prime 'ROMEO:' --length 300 \\",
                "      --temperature 0.8",
                "  ballast generate --model runs/shakespeare --greedy --length 100 --json"})
final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "", description = "Text to continue (default: start of a line).")
    String prime;

    @Option(names = "--length", paramLabel = "N", defaultValue = "500", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0", description = "Softmax temperature; lower is more conservative (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample only among the K most likely tokens; 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", description = "Nucleus sampling: the smallest set of tokens with probability P (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--greedy", description = "Always take the most likely token (same as --temperature 0).")
    boolean greedy;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for sampling; the same seed gives the same text (default: random, printed).")
    Long seed;

    @Option(names = "--json", description = "Print one JSON object: text, prime, tokens, seed.")
    boolean json;

    @Override
    public Integer call() {
        if (length < 0) {
            throw new InputException("--length must be at least 0, got " + length);
        }
        BallastCommand.notBoth(spec.commandLine().getParseResult(), "--greedy", "--temperature");
        SamplingOptions options = new SamplingOptions(greedy ? 0.0 : temperature, topK, topP);
        long s = seed != null ? seed : System.nanoTime() ^ Runtime.getRuntime().freeMemory();
        // A directory runs on Ballast's engine, an exported .onnx file on ONNX Runtime.
        try (InferenceModel m = InferenceModel.open(modelOptions.path(), modelOptions.threads)) {
            return print(m, new GenerationRequest(prime, length, options, s, List.of()), s);
        }
    }

    private int print(InferenceModel m, GenerationRequest request, long s) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            String text = Generator.generate(m, request, null).text();
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("prime", prime);
            n.put("text", text);
            n.put("tokens", length);
            n.put("seed", s);
            out.println(ModelFiles.toJson(n).strip());
        } else {
            out.print(prime);
            Generator.generate(m, request, piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            if (seed == null) {
                spec.commandLine().getErr().println("(seed " + s + ")");
            }
        }
        out.flush();
        return 0;
    }
}
