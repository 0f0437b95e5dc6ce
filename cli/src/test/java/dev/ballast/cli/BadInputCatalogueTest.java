package dev.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.lm.ModelFiles;
import dev.ballast.training.checkpoint.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue: one row per case (arguments, expected exit code, a piece of the one-line
 * message), for every command. Each row also checks that a bad input (exit 2) prints exactly one line on
 * stderr and no stack trace or Java class name, and that no file changed in the fixtures (the inputs) or
 * in the working directory. Arguments starting with {@code @} name fixtures: {@code @run} is a trained
 * model's run directory, {@code @fc} a forecaster's, {@code @tmp/x} a path under the fixtures' directory;
 * {@code @NAME/rest} resolves {@code rest} inside fixture NAME. Rows stay fast: every one fails before
 * anything trains.
 */
class BadInputCatalogueTest {

    @TempDir
    static Path tmp;
    static final Map<String, Path> FIXTURES = new LinkedHashMap<>();
    static Path savedRuns;
    /** A Java class name or a stack frame in a message meant for people. */
    private static final Pattern JAVA_NOISE = Pattern.compile(
            "[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Exception|Error)\\b|\\tat |java\\.(?:io|nio|lang)\\.|internal error");

    record Row(int code, String message, List<String> args) {
        @Override
        public String toString() {
            return String.join(" ", args) + "  => " + code + " '" + message + "'";
        }
    }

    private static Row row(int code, String message, String... args) {
        return new Row(code, message, List.of(args));
    }

    static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        // ballast itself
        r.add(row(2, "name a command"));
        r.add(row(2, "Unmatched argument", "frobnicate"));
        r.add(row(2, "Unknown option", "--frobnicate"));

        // train: numbers out of range, not numbers, enums, files, conflicts, resources, existing runs
        String[] tr = {"train", "--corpus", "@corpus", "--steps", "3", "--threads", "1"};
        r.add(train(2, "--steps", "--steps", "-1"));
        r.add(train(2, "--steps", "--steps", "abc"));
        r.add(train(2, "--steps", "--steps", "99999999999999999999"));
        r.add(train(2, "--hidden must be at least 1", "--hidden", "0"));
        r.add(train(2, "--hidden must be at least 1", "--hidden", "-3"));
        r.add(train(2, "--hidden", "--hidden", "abc"));
        r.add(train(2, "--hidden", "--hidden", "1.5"));
        r.add(train(2, "--layers must be at least 1", "--layers", "0"));
        r.add(train(2, "--layers must be at least 1", "--layers", "-1"));
        r.add(train(2, "--embed must be at least 1", "--embed", "0"));
        r.add(train(2, "--seq must be at least 1", "--seq", "0"));
        r.add(train(2, "--batch must be at least 1", "--batch", "0"));
        r.add(train(2, "--batch must be at least 1", "--batch", "-4"));
        r.add(train(2, "--lr must be a positive number", "--lr", "-1"));
        r.add(train(2, "--lr must be a positive number", "--lr", "0"));
        r.add(train(2, "--lr must be a positive number", "--lr", "NaN"));
        r.add(train(2, "--lr must be a positive number", "--lr", "Infinity"));
        r.add(train(2, "--dropout must be in [0, 1)", "--dropout", "1.0"));
        r.add(train(2, "--dropout must be in [0, 1)", "--dropout", "-0.1"));
        r.add(train(2, "got 'gru'", "--cell", "gru"));
        r.add(train(2, "--optimizer must be one of sgd, adam", "--optimizer", "foo"));
        r.add(train(2, "--clip must be one of global-norm", "--clip", "foo"));
        r.add(train(2, "--clip-norm", "--clip-norm", "-1"));
        r.add(train(2, "--clip-value", "--clip-value", "-1"));
        r.add(train(2, "--lr-schedule", "--lr-schedule", "foo"));
        r.add(train(2, "--lr-schedule", "--lr-schedule", "step:0:0.5"));
        r.add(train(2, "--lr-schedule", "--lr-schedule", "cosine:-1"));
        r.add(train(2, "--init", "--init", "foo"));
        r.add(train(2, "--unknown-policy must be one of", "--unknown-policy", "foo"));
        r.add(train(2, "--level must be one of char, word", "--level", "foo"));
        r.add(train(2, "analyzer 'nonsense-analyzer'", "--level", "word", "--analyzer", "nonsense-analyzer"));
        r.add(train(2, "--valid-fraction", "--valid-fraction", "1.5"));
        r.add(train(2, "--valid-fraction", "--valid-fraction", "-0.1"));
        r.add(train(2, "--epochs must be at least 1", "--epochs", "-1"));
        r.add(train(2, "give --steps or --epochs, not both", "--epochs", "2"));
        r.add(train(2, "--eval-every must be at least 0", "--eval-every", "-1"));
        r.add(train(2, "--sample-length must be at least 0", "--sample-length", "-1"));
        r.add(train(2, "--max-retries must be at least 0", "--max-retries", "-1"));
        r.add(train(2, "--spike-factor", "--spike-factor", "0"));
        r.add(train(2, "--clip-alarm-window must be at least 0", "--clip-alarm-window", "-1"));
        r.add(train(2, "--clip-alarm-factor", "--clip-alarm-factor", "0.5"));
        r.add(train(2, "--recovery must be one of on, off", "--recovery", "maybe"));
        r.add(train(2, "--momentum", "--momentum", "-1"));
        r.add(train(2, "--weight-decay", "--weight-decay", "-1"));
        r.add(train(2, "--l2 must be at least 0", "--l2", "-1"));
        r.add(train(2, "--l1 must be at least 0", "--l1", "-1"));
        r.add(train(2, "--max-norm", "--max-norm", "-1"));
        r.add(train(2, "--max-vocab", "--level", "word", "--max-vocab", "2"));
        r.add(train(2, "--min-freq", "--level", "word", "--min-freq", "0"));
        r.add(train(2, "--tie-weights", "--tie-weights", "--embed", "8", "--hidden", "16"));
        r.add(train(2, "--residual", "--residual", "--layers", "1"));
        r.add(train(2, "--regress-tolerance", "--regress-tolerance", "0"));
        r.add(train(2, "--recurrent-bound", "--recurrent-bound", "0.5"));
        r.add(train(2, "--diagnose-every must be at least 0", "--diagnose-every", "-1"));
        r.add(train(2, "--vocab-scope", "--vocab-scope", "everything"));
        r.add(train(2, "Missing required parameter", "--hidden"));
        r.add(row(2, "@tmp/missing.txt", "train", "--corpus", "@tmp/missing.txt", "--steps", "3"));
        r.add(row(2, "contains no files", "train", "--corpus", "@emptydir", "--steps", "3"));
        r.add(row(2, "binary", "train", "--corpus", "@binary", "--steps", "3"));
        r.add(row(2, "byte offset", "train", "--corpus", "@latin1", "--steps", "3"));
        r.add(row(2, "@tmp/missing-valid.txt", "train", "--corpus", "@corpus", "--valid", "@tmp/missing-valid.txt", "--steps", "3"));
        r.add(row(2, "no-such-corpus", "train", "--corpus", "no-such-corpus", "--steps", "3"));
        r.add(train(2, "--threads 100000 is more than this machine can use", "--threads", "100000"));
        r.add(train(2, "--threads must be at least 0", "--threads", "-1"));
        r.add(train(2, "would hold", "--hidden", "100000000"));
        r.add(train(2, "would hold", "--hidden", "60000", "--layers", "2"));
        r.add(train(2, "the heap is", "--hidden", "20000"));
        r.add(train(2, "lower --embed", "--embed", "100000000"));
        r.add(train(2, "the logits", "--batch", "100000000"));
        r.add(train(2, "the logits", "--seq", "100000000"));
        r.add(train(2, "already holds a run", "--out", "@run"));
        r.add(train(2, "already holds a run", "--out", "@fc"));
        r.add(train(2, "is a file", "--out", "@corpus"));
        r.add(train(2, "is a file", "--out", "@corpus", "--overwrite"));
        r.add(row(2, "model not found", "train", "--resume", "@tmp/missing-run"));
        r.add(row(2, "is not a Ballast model directory", "train", "--resume", "@emptydir"));
        r.add(row(2, "cannot be combined with --resume", "train", "--resume", "@run", "--hidden", "32"));
        r.add(row(2, "cannot be combined with --resume", "train", "--resume", "@run", "--overwrite"));
        r.add(row(2, "is at step 4 already", "train", "--resume", "@run", "--steps", "4"));
        r.add(row(2, "not valid JSON", "train", "--resume", "@badjson"));
        r.add(row(2, "already holds a run", "train", "--resume", "@run", "--steps", "8", "--out", "@fc"));
        r.add(row(2, "not a valid Ballast pointer file", "train", "--resume", "@badpointer"));
        r.add(row(2, "not a valid Ballast run link", "train", "--resume", "@badlink"));

        // eval
        r.add(row(2, "model not found", "eval", "--model", "@tmp/missing-model"));
        r.add(row(2, "Missing required option", "eval"));
        r.add(row(2, "is not a Ballast model directory", "eval", "--model", "@emptydir"));
        r.add(row(2, "not valid JSON", "eval", "--model", "@badjson"));
        r.add(row(2, "ballast-model", "eval", "--model", "@wrongformat"));
        r.add(row(2, "hidden 1073741824", "eval", "--model", "@hugehidden"));
        r.add(row(2, "the heap is", "eval", "--model", "@hugeheap"));
        r.add(row(2, "hidden", "eval", "--model", "@neghidden"));
        r.add(row(2, "hidden", "eval", "--model", "@stringhidden"));
        r.add(row(2, "hidden", "eval", "--model", "@floathidden"));
        r.add(row(2, "hidden", "eval", "--model", "@longhidden"));
        r.add(row(2, "trunc-weights/weights.safetensors is not a safetensors file", "eval", "--model", "@truncweights"));
        r.add(row(2, "header length", "eval", "--model", "@hugeheaderlen"));
        r.add(row(2, "garbage-header/weights.safetensors", "eval", "--model", "@garbageheader"));
        r.add(row(2, "weights.safetensors", "eval", "--model", "@weightsdir"));
        r.add(row(2, "weights.safetensors", "eval", "--model", "@missingweights"));
        r.add(row(2, "SHA-256", "eval", "--model", "@flippedbit"));
        r.add(row(2, "too large", "eval", "--model", "@shapeoverflow"));
        r.add(row(2, "not a valid Ballast pointer file", "eval", "--model", "@badpointer"));
        r.add(row(2, "does not exist", "eval", "--model", "@danglingpointer"));
        r.add(row(2, "not a valid Ballast run link", "eval", "--model", "@badlink"));
        r.add(row(2, "--threads must be at least 0", "eval", "--model", "@run", "--threads", "-1"));
        r.add(row(2, "--threads 100000", "eval", "--model", "@run", "--threads", "100000"));
        r.add(row(2, "@tmp/missing.txt", "eval", "--model", "@run", "--corpus", "@tmp/missing.txt"));
        r.add(row(2, "binary", "eval", "--model", "@run", "--corpus", "@binary"));
        r.add(row(2, "--batch", "eval", "--model", "@run", "--batch", "0"));
        r.add(row(2, "--seq", "eval", "--model", "@run", "--seq", "0"));
        r.add(row(2, "--batch", "eval", "--model", "@run", "--batch", "x"));
        r.add(row(2, "holds a forecaster", "eval", "--model", "@fc"));
        r.add(row(2, "holds a forecaster", "generate", "--model", "@fc"));
        r.add(row(2, "holds a forecaster", "score", "--model", "@fc", "--text", "to be"));

        // generate
        r.add(row(2, "--length", "generate", "--model", "@run", "--length", "-1"));
        r.add(row(2, "--length", "generate", "--model", "@run", "--length", "ten"));
        r.add(row(2, "--temperature", "generate", "--model", "@run", "--temperature", "-1"));
        r.add(row(2, "--temperature", "generate", "--model", "@run", "--temperature", "NaN"));
        r.add(row(2, "--top-p", "generate", "--model", "@run", "--top-p", "1.5"));
        r.add(row(2, "--top-p", "generate", "--model", "@run", "--top-p", "0"));
        r.add(row(2, "--top-k", "generate", "--model", "@run", "--top-k", "-1"));
        r.add(row(2, "--seed", "generate", "--model", "@run", "--seed", "abc"));
        r.add(row(2, "no model at", "generate", "--model", "@tmp/missing-model"));
        r.add(row(2, "not valid JSON", "generate", "--model", "@badjson"));
        r.add(row(2, "hidden 1073741824", "generate", "--model", "@hugehidden"));
        r.add(row(2, "@garbageonnx", "generate", "--model", "@garbageonnx"));
        r.add(row(2, "--threads 100000", "generate", "--model", "@run", "--threads", "100000"));
        r.add(row(2, "Missing required option", "generate"));

        // score
        r.add(row(2, "Missing required option", "score", "--model", "@run"));
        r.add(row(2, "no model at", "score", "--model", "@tmp/missing-model", "--text", "to be"));
        r.add(row(2, "is not a Ballast model directory", "score", "--model", "@emptydir", "--text", "to be"));
        r.add(row(2, "--threads 100000", "score", "--model", "@run", "--text", "to be", "--threads", "100000"));
        r.add(row(2, "--threads must be at least 0", "score", "--model", "@run", "--text", "to be", "--threads", "-2"));
        r.add(row(2, "@garbageonnx", "score", "--model", "@garbageonnx", "--text", "to be"));
        r.add(row(2, "hidden 1073741824", "score", "--model", "@hugehidden", "--text", "to be"));
        r.add(row(2, "weights.safetensors", "score", "--model", "@truncweights", "--text", "to be"));
        r.add(row(2, "SHA-256", "score", "--model", "@flippedbit", "--text", "to be"));

        // export
        r.add(row(2, "Missing required option", "export", "--model", "@run"));
        r.add(row(2, "is a directory", "export", "--model", "@run", "--out", "@emptydir"));
        r.add(row(2, "already exists", "export", "--model", "@run", "--out", "@existingonnx"));
        r.add(row(2, "the model itself", "export", "--model", "@runbest/weights.safetensors", "--out", "@runbest/weights.safetensors"));
        r.add(row(2, "inside the model directory", "export", "--model", "@run", "--out", "@runbest/weights.safetensors"));
        r.add(row(2, "inside the model directory", "export", "--model", "@run", "--out", "@runbest/weights.safetensors", "--overwrite"));
        r.add(row(2, "inside the model directory", "export", "--model", "@run", "--out", "@run/latest.json", "--overwrite"));
        r.add(row(2, "inside the model directory", "export", "--model", "@run", "--out", "@run/x.onnx"));
        r.add(row(2, "inside the model directory", "export", "--model", "@fc", "--out", "@fc/forecaster.safetensors", "--overwrite"));
        r.add(row(2, "model not found", "export", "--model", "@tmp/missing-model", "--out", "@tmp/out1.onnx"));
        r.add(row(2, "not valid JSON", "export", "--model", "@badjson", "--out", "@tmp/out2.onnx"));
        r.add(row(2, "hidden 1073741824", "export", "--model", "@hugehidden", "--out", "@tmp/out3.onnx"));
        r.add(row(2, "forecaster.json", "export", "--model", "@fcbadjson", "--out", "@tmp/out4.onnx"));
        r.add(row(2, "hidden 1073741824", "export", "--model", "@fchuge", "--out", "@tmp/out5.onnx"));
        r.add(row(2, "hidden", "export", "--model", "@fcneg", "--out", "@tmp/out6.onnx"));
        r.add(row(2, "--threads 100000", "export", "--model", "@run", "--out", "@tmp/out7.onnx", "--threads", "100000"));
        r.add(row(2, "is a file, not a directory", "export", "--model", "@run", "--out", "@corpus/x.onnx"));

        // serve: bad flags only, never a valid set (that would start serving)
        r.add(row(2, "--port", "serve", "--model", "@run", "--port", "-1"));
        r.add(row(2, "--port", "serve", "--model", "@run", "--port", "70000"));
        r.add(row(2, "--port", "serve", "--model", "@run", "--port", "abc"));
        r.add(row(2, "--threads must be at least 0", "serve", "--model", "@run", "--threads", "-1"));
        r.add(row(2, "--threads 100000", "serve", "--model", "@run", "--threads", "100000"));
        r.add(row(2, "--host", "serve", "--model", "@run", "--host", "not a host!"));
        r.add(row(2, "not both", "serve", "--model", "@run", "--api-key", "k3y-k3y-k3y-k3y", "--api-key-file", "@corpus"));
        r.add(row(2, "@tmp/missing.key", "serve", "--model", "@run", "--api-key-file", "@tmp/missing.key"));
        r.add(row(2, "--max-body", "serve", "--model", "@run", "--max-body", "0"));
        r.add(row(2, "--server-threads", "serve", "--model", "@run", "--server-threads", "0"));
        r.add(row(2, "--max-connections", "serve", "--model", "@run", "--max-connections", "0"));
        r.add(row(2, "--idle-timeout", "serve", "--model", "@run", "--idle-timeout", "0"));
        r.add(row(2, "--max-input-tokens", "serve", "--model", "@run", "--max-input-tokens", "0"));
        r.add(row(2, "--max-new-tokens", "serve", "--model", "@run", "--max-new-tokens", "-1"));
        r.add(row(2, "no model at", "serve", "--model", "@tmp/missing-model", "--port", "0"));
        r.add(row(2, "not valid JSON", "serve", "--model", "@badjson", "--port", "0"));
        r.add(row(2, "hidden 1073741824", "serve", "--model", "@hugehidden", "--port", "0"));
        r.add(row(2, "forecaster.json", "serve", "--model", "@fcbadjson", "--port", "0"));
        r.add(row(2, "Missing required option", "serve"));

        // forecast
        r.add(fc(2, "--horizon", "--horizon", "0"));
        r.add(fc(2, "--horizon", "--horizon", "-1"));
        r.add(fc(2, "--season", "--season", "0"));
        r.add(fc(2, "--lookback", "--lookback", "-1"));
        r.add(fc(2, "--hidden", "--hidden", "0"));
        r.add(fc(2, "--layers", "--layers", "0"));
        r.add(fc(2, "--steps", "--steps", "-1"));
        r.add(fc(2, "--batch", "--batch", "0"));
        r.add(fc(2, "--lr", "--lr", "-1"));
        r.add(fc(2, "--lr", "--lr", "0"));
        r.add(fc(2, "--optimizer", "--optimizer", "foo"));
        r.add(fc(2, "--clip", "--clip", "foo"));
        r.add(fc(2, "--clip-norm", "--clip-norm", "-1"));
        r.add(fc(2, "--loss must be one of mse, mae, huber", "--loss", "l3"));
        r.add(fc(2, "--scale", "--scale", "foo"));
        r.add(fc(2, "--transform", "--transform", "sqrt"));
        r.add(fc(2, "--difference", "--difference", "-1"));
        r.add(fc(2, "--strategy", "--strategy", "foo"));
        r.add(fc(2, "--interval", "--interval", "1.5"));
        r.add(fc(2, "--interval", "--interval", "0"));
        r.add(fc(2, "--validation", "--validation", "-1"));
        r.add(fc(2, "--backtest 1000 needs", "--backtest", "1000"));
        r.add(fc(2, "--backtest must be >= 0", "--backtest", "-1"));
        r.add(fc(2, "--future must be >= 0", "--future", "-1"));
        r.add(fc(2, "--fill", "--fill", "foo"));
        r.add(fc(2, "got 'gru'", "--cell", "gru"));
        r.add(fc(2, "--recovery must be one of on, off", "--recovery", "maybe"));
        r.add(fc(2, "would hold", "--hidden", "100000000"));
        r.add(fc(2, "the heap is", "--hidden", "20000"));
        r.add(fc(2, "--lr-schedule", "--lr-schedule", "foo"));
        r.add(fc(2, "--weight-decay", "--weight-decay", "-1"));
        r.add(fc(2, "diagnose-every must be >= 0", "--diagnose-every", "-1"));
        r.add(fc(2, "--horizon", "--horizon", "x"));
        r.add(fc(2, "already holds a run", "--out", "@fc"));
        r.add(fc(2, "already holds a run", "--out", "@run"));
        r.add(fc(2, "is a file", "--out", "@corpus"));
        r.add(fc(2, "is a file", "--out", "@corpus", "--overwrite"));
        r.add(row(2, "@tmp/missing.csv", "forecast", "--data", "@tmp/missing.csv", "--column", "x", "--out", "@tmp/fo"));
        r.add(row(2, "@emptydir", "forecast", "--data", "@emptydir", "--column", "x", "--out", "@tmp/fo"));
        r.add(row(2, "cannot parse 'x' as a number", "forecast", "--data", "@badcsv", "--column", "v", "--out", "@tmp/fo"));
        r.add(row(2, "--data needs --column", "forecast", "--data", "@salescsv", "--out", "@tmp/fo"));
        r.add(row(2, "need --data", "forecast", "--column", "Sales", "--out", "@tmp/fo"));
        r.add(row(2, "Nope", "forecast", "--data", "@salescsv", "--column", "Nope", "--out", "@tmp/fo"));
        r.add(row(2, "empty.csv: the file is empty", "forecast", "--data", "@emptycsv", "--column", "v", "--out", "@tmp/fo"));
        r.add(row(2, "holding out --horizon 60", "forecast", "--data", "@salescsv", "--column", "Sales", "--horizon", "60", "--out", "@tmp/fo"));
        r.add(row(2, "model not found", "forecast", "--resume", "@tmp/missing-run"));
        r.add(row(2, "is not a Ballast model directory", "forecast", "--resume", "@emptydir"));

        // diagnose
        r.add(row(2, "stability.json does not exist", "diagnose", "@tmp/missing-run"));
        r.add(row(2, "stability.json does not exist", "diagnose", "@emptydir"));
        r.add(row(2, "stability.json does not exist", "diagnose", "@corpus"));
        r.add(row(2, "stability.json", "diagnose", "@badstability"));
        r.add(row(2, "Missing required parameter", "diagnose"));
        r.add(row(2, "Unknown option", "diagnose", "@run", "--frobnicate"));

        // stress
        r.add(row(2, "--init", "stress", "--init", "foo"));
        r.add(row(2, "--only", "stress", "--only", "no-such-case"));
        r.add(row(2, "--seed", "stress", "--seed", "abc"));
        r.add(row(2, "Unknown option", "stress", "--frobnicate"));

        // bench
        r.add(row(2, "--threads must be at least 0", "bench", "--threads", "-1"));
        r.add(row(2, "--threads 100000", "bench", "--threads", "100000"));
        r.add(row(2, "--config", "bench", "--config", "foo"));
        r.add(row(2, "--steps", "bench", "--steps", "0"));
        r.add(row(2, "--repeats", "bench", "--repeats", "0"));
        r.add(row(2, "@tmp/missing-corpus.txt", "bench", "--config", "char-lstm-2x256", "--tokenize", "@tmp/missing-corpus.txt"));
        return r;
    }

    private static Row train(int code, String message, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--corpus", "@corpus", "--steps", "3", "--threads", "1",
                "--out", "@tmp/train-out"));
        List<String> given = List.of(more);
        for (String flag : List.of("--steps", "--threads", "--out")) {
            if (given.contains(flag)) {
                int i = args.indexOf(flag);
                args.remove(i);
                args.remove(i);
            }
        }
        args.addAll(given);
        return new Row(code, message, args);
    }

    private static Row fc(int code, String message, String... more) {
        List<String> args = new ArrayList<>(List.of("forecast", "--steps", "3", "--out", "@tmp/fc-out"));
        List<String> given = List.of(more);
        for (String flag : List.of("--steps", "--out")) {
            if (given.contains(flag)) {
                int i = args.indexOf(flag);
                args.remove(i);
                args.remove(i);
            }
        }
        args.addAll(given);
        return new Row(code, message, args);
    }

    @BeforeAll
    static void fixtures() throws IOException {
        savedRuns = DefaultRuns.root;
        DefaultRuns.root = tmp.resolve("default-runs"); // a row that forgot --out must not write into the module
        Path corpus = write("corpus.txt", "To be, or not to be, that is the question.\n".repeat(30));
        FIXTURES.put("corpus", corpus);
        FIXTURES.put("tmp", tmp);
        Path run = tmp.resolve("run");
        CliRun t = CliRun.ballast("train", "--corpus", corpus.toString(), "--layers", "1", "--hidden", "8", "--embed", "4",
                "--seq", "8", "--batch", "2", "--steps", "4", "--eval-every", "2", "--sample-length", "0", "--threads", "1",
                "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        FIXTURES.put("run", run);
        Path best = CheckpointStore.resolveModel(run);
        FIXTURES.put("runbest", best);
        Path fc = tmp.resolve("fc");
        CliRun f = CliRun.ballast("forecast", "--steps", "6", "--hidden", "4", "--out", fc.toString());
        assertEquals(0, f.code(), f.err());
        FIXTURES.put("fc", fc);
        FIXTURES.put("emptydir", Files.createDirectories(tmp.resolve("empty-dir")));
        FIXTURES.put("binary", Files.write(tmp.resolve("binary.bin"), new byte[] {'a', 0, 'b', 0, 1, 2}));
        FIXTURES.put("latin1", Files.write(tmp.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'}));
        FIXTURES.put("existingonnx", write("existing.onnx", "not really onnx"));
        FIXTURES.put("garbageonnx", Files.write(tmp.resolve("garbage.onnx"), new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1}));
        FIXTURES.put("salescsv", write("sales.csv", sales()));
        FIXTURES.put("badcsv", write("bad.csv", "t,v\n1,2\n2,x\n3,4\n"));
        FIXTURES.put("emptycsv", write("empty.csv", ""));

        // language-model directories broken one way each
        ObjectNode doc = (ObjectNode) ModelFiles.readJson(best.resolve(ModelFiles.MODEL_JSON));
        FIXTURES.put("badjson", modelDir("bad-json", best, "{not json", null));
        FIXTURES.put("wrongformat", modelDir("wrong-format", best, "{\"format\": \"something-else\", \"version\": 1}", null));
        FIXTURES.put("hugehidden", modelDir("huge-hidden", best, withModel(doc, "hidden", "1073741824"), null));
        FIXTURES.put("hugeheap", modelDir("huge-heap", best,
                withModel(withModel(withModel(doc, "hidden", "20000"), "embed", "20000"), "layers", "8"), null));
        FIXTURES.put("neghidden", modelDir("neg-hidden", best, withModel(doc, "hidden", "-5"), null));
        FIXTURES.put("stringhidden", modelDir("string-hidden", best, withModel(doc, "hidden", "\"abc\""), null));
        FIXTURES.put("floathidden", modelDir("float-hidden", best, withModel(doc, "hidden", "1.5"), null));
        FIXTURES.put("longhidden", modelDir("long-hidden", best, withModel(doc, "hidden", "99999999999999999999"), null));
        // Without the weights' SHA-256 (as files written before it existed), so the safetensors checks themselves run.
        ObjectNode legacy = doc.deepCopy();
        legacy.remove("weights");
        String unhashed = legacy.toPrettyString();
        FIXTURES.put("truncweights", modelDir("trunc-weights", best, unhashed, new byte[] {1, 2, 3, 4, 5}));
        FIXTURES.put("hugeheaderlen", modelDir("huge-header-len", best, unhashed, bytes(le(1L << 40, 8), "{}")));
        FIXTURES.put("garbageheader", modelDir("garbage-header", best, unhashed, bytes(le(8, 8), "not json")));
        FIXTURES.put("shapeoverflow", modelDir("shape-overflow", best, unhashed, bytes(le(96, 8),
                pad("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 96), "abcd")));
        Path weightsDir = modelDir("weights-dir", best, null, null);
        Files.delete(weightsDir.resolve(ModelFiles.WEIGHTS));
        Files.createDirectory(weightsDir.resolve(ModelFiles.WEIGHTS));
        FIXTURES.put("weightsdir", weightsDir);
        Path missingWeights = modelDir("missing-weights", best, null, null);
        Files.delete(missingWeights.resolve(ModelFiles.WEIGHTS));
        FIXTURES.put("missingweights", missingWeights);
        byte[] w = Files.readAllBytes(best.resolve(ModelFiles.WEIGHTS));
        w[w.length - 1] ^= 1;
        FIXTURES.put("flippedbit", modelDir("flipped-bit", best, null, w));

        // run directories with broken pointers, and a broken run link
        Path badPointer = Files.createDirectories(tmp.resolve("bad-pointer"));
        write("bad-pointer/latest.json", "{\"format\": \"ballast-pointer\", \"version\": 1, \"checkpoint\": \"../../etc\", \"step\": 1}");
        FIXTURES.put("badpointer", badPointer);
        Path dangling = Files.createDirectories(tmp.resolve("dangling-pointer"));
        write("dangling-pointer/best.json", "{\"format\": \"ballast-pointer\", \"version\": 1, \"checkpoint\": \"checkpoints/step-00000099\", \"step\": 99}");
        write("dangling-pointer/latest.json", "{\"format\": \"ballast-pointer\", \"version\": 1, \"checkpoint\": \"checkpoints/step-00000099\", \"step\": 99}");
        FIXTURES.put("danglingpointer", dangling);
        FIXTURES.put("badlink", write("badlink", "{\"format\": \"ballast-run-link\", \"version\": 1, \"run\": \"../elsewhere\"}"));
        Path badStability = Files.createDirectories(tmp.resolve("bad-stability"));
        write("bad-stability/stability.json", "[1, 2");
        FIXTURES.put("badstability", badStability);

        // forecaster directories
        String fcJson = Files.readString(fc.resolve("forecaster.json"));
        FIXTURES.put("fcbadjson", forecasterDir("fc-bad-json", fc, "{\"format\": "));
        FIXTURES.put("fchuge", forecasterDir("fc-huge", fc, fcJson.replaceFirst("\"hidden\" : \\d+", "\"hidden\" : 1073741824")));
        FIXTURES.put("fcneg", forecasterDir("fc-neg", fc, fcJson.replaceFirst("\"hidden\" : \\d+", "\"hidden\" : -1")));
    }

    @AfterAll
    static void restore() {
        DefaultRuns.root = savedRuns;
    }

    static Stream<Arguments> catalogue() {
        return rows().stream().map(Arguments::of);
    }

    @Test
    void theCatalogueCoversEveryCommandWithAtLeast150Rows() {
        List<Row> rows = rows();
        assertTrue(rows.size() >= 150, rows.size() + " rows");
        for (String command : List.of("train", "eval", "generate", "score", "export", "serve", "forecast", "diagnose",
                "stress", "bench")) {
            assertTrue(rows.stream().anyMatch(r -> !r.args().isEmpty() && r.args().get(0).equals(command)), command);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("catalogue")
    void badInputIsOneClearLineAndChangesNothing(Row row) {
        Map<String, String> inputs = Trees.snapshot(tmp);
        Path cwd = Path.of("").toAbsolutePath();
        List<String> cwdBefore = listing(cwd);
        String[] args = row.args().stream().map(BadInputCatalogueTest::resolve).toArray(String[]::new);
        CliRun r = CliRun.ballast(args);
        String err = r.err().strip();
        String expected = resolve(row.message());
        assertEquals(row.code(), r.code(), "exit code; stderr: " + err);
        if (row.code() == 2) {
            assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
        }
        assertTrue(err.contains(expected), "'" + expected + "' not in: " + err);
        assertFalse(JAVA_NOISE.matcher(err).find(), "a Java class name or stack trace in: " + err);
        assertEquals(inputs, Trees.snapshot(tmp), "the inputs changed");
        assertEquals(cwdBefore, listing(cwd), "the working directory changed");
    }

    private static List<String> listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resolve(String arg) {
        if (!arg.startsWith("@")) {
            return arg;
        }
        int slash = arg.indexOf('/');
        String name = slash < 0 ? arg.substring(1) : arg.substring(1, slash);
        Path base = FIXTURES.get(name);
        if (base == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        return (slash < 0 ? base : base.resolve(arg.substring(slash + 1))).toString();
    }

    private static Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String sales() {
        StringBuilder sb = new StringBuilder("Month,Sales\n");
        for (int t = 0; t < 96; t++) {
            sb.append(String.format(java.util.Locale.ROOT, "%d-%02d,%.3f%n", 2000 + t / 12, t % 12 + 1,
                    50 + 10 * Math.sin(2 * Math.PI * t / 12)));
        }
        return sb.toString();
    }

    /** A copy of model directory {@code from} with its model.json and/or weights replaced (null keeps them). */
    private static Path modelDir(String name, Path from, String modelJson, byte[] weights) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of(ModelFiles.MODEL_JSON, ModelFiles.WEIGHTS)) {
            Files.copy(from.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (modelJson != null) {
            Files.writeString(dir.resolve(ModelFiles.MODEL_JSON), modelJson);
        }
        if (weights != null) {
            Files.write(dir.resolve(ModelFiles.WEIGHTS), weights);
        }
        return dir;
    }

    private static Path forecasterDir(String name, Path from, String json) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(from.resolve("forecaster.safetensors"), dir.resolve("forecaster.safetensors"));
        Files.writeString(dir.resolve("forecaster.json"), json);
        return dir;
    }

    /** model.json text with {@code model.FIELD} set to the raw JSON {@code value}. */
    private static String withModel(ObjectNode doc, String field, String rawValue) {
        String text = doc.toPrettyString();
        return text.replaceFirst("(\"model\" : \\{[^}]*?\"" + field + "\" : )[^,\\n}]+", "$1" + java.util.regex.Matcher.quoteReplacement(rawValue));
    }

    private static String withModel(String text, String field, String rawValue) {
        return text.replaceFirst("(\"model\" : \\{[^}]*?\"" + field + "\" : )[^,\\n}]+", "$1" + java.util.regex.Matcher.quoteReplacement(rawValue));
    }

    private static byte[] le(long v, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    private static String pad(String s, int n) {
        return s + " ".repeat(n - s.length());
    }

    private static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
