package dev.ballast.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.CorpusResolver;
import dev.ballast.corpora.DefaultCorpus;
import dev.ballast.corpora.TextReader;
import dev.ballast.engine.InputException;
import dev.ballast.lm.Evaluation;
import dev.ballast.lm.Evaluator;
import dev.ballast.lm.TrainingData;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ballast eval}: loss, perplexity and bits per token of a model on a text. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained model: loss, perplexity and bits per token.",
                "The loss is the mean in nats per token. Without --corpus it scores the",
                "validation split of the corpus the model was trained on."},
        footer = {"", "Examples:", "  ballast eval --model runs/shakespeare", "  ballast eval --model runs/shakespeare --corpus other.txt --json"})
final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--corpus", paramLabel = "PATH|NAME", description = "Score this whole text instead of the training run's validation split.")
    String corpus;

    @Option(names = "--replace-malformed", description = "Replace invalid UTF-8 in --corpus with U+FFFD instead of failing.")
    boolean replaceMalformed;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "10", description = "Parallel streams (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", paramLabel = "N", description = "Window length (default: the model's training --seq, else 64).")
    Integer seq;

    @Option(names = "--json", description = "Print one JSON object: loss, perplexity, bits_per_token, tokens.")
    boolean json;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new InputException("--batch must be at least 1, got " + batch);
        }
        if (seq != null && seq < 1) {
            throw new InputException("--seq must be at least 1, got " + seq);
        }
        TrainedModel m = modelOptions.load();
        int[] tokens;
        long unknown;
        String source;
        if (corpus != null) {
            String text = CorpusResolver.isBuiltin(corpus) ? DefaultCorpus.text()
                    : TextReader.read(CorpusResolver.resolve(corpus), replaceMalformed);
            tokens = m.tokenizer().encode(text);
            unknown = m.tokenizer().countUnknown(text);
            source = corpus;
        } else {
            if (m.training() == null) {
                throw new InputException("the model has no training configuration; give --corpus to evaluate it");
            }
            TrainingData data = TrainingData.load(m.training(), m.tokenizer());
            tokens = data.valid();
            unknown = data.validUnknown();
            source = data.source() + " (validation split)";
        }
        if (tokens.length < 2) {
            throw new InputException("the text to evaluate has " + tokens.length + " tokens; at least 2 are needed");
        }
        int window = seq != null ? seq : m.training() != null ? m.training().seq() : 64;
        Evaluation e = Evaluator.evaluate(m.network(), tokens, batch, window);
        if (json) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("loss", e.loss());
            n.put("perplexity", e.perplexity());
            n.put("bits_per_token", e.bitsPerToken());
            n.put("tokens", e.tokens());
            n.put("unknown", unknown);
            n.put("oov_rate", (double) unknown / tokens.length);
            n.put("source", source);
            spec.commandLine().getOut().println(ModelFiles.toJson(n).strip());
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "%s: loss %.4f nats/token, perplexity %.3f, %.4f bits/token over %,d tokens%s%n",
                    source, e.loss(), e.perplexity(), e.bitsPerToken(), e.tokens(),
                    unknown > 0 ? String.format(Locale.ROOT, " (%d unknown, OOV rate %.3f%%)", unknown,
                            100.0 * unknown / tokens.length) : "");
        }
        return 0;
    }
}
