package dev.ballast.cli;

import static dev.ballast.cli.CliRun.ballast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, in-process: happy paths and every bad-input path's one-line error. */
class CliTest {

    @TempDir
    static Path tmp;
    static Path corpus;
    static Path run;

    @BeforeAll
    static void trainSmallModel() throws IOException {
        corpus = tmp.resolve("corpus.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("To be, or not to be, that is the question.\n");
        }
        Files.writeString(corpus, sb, StandardCharsets.UTF_8);
        run = tmp.resolve("run");
        CliRun o = ballast("train", "--corpus", corpus.toString(), "--layers", "1", "--hidden", "16", "--embed", "8",
                "--seq", "16", "--batch", "4", "--steps", "30", "--eval-every", "10", "--sample-length", "20",
                "--threads", "1", "--out", run.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode json = Json.MAPPER.readTree(o.out());
        for (String key : new String[] {"val_loss", "val_perplexity", "val_bits_per_token", "steps", "tokens_per_second"}) {
            assertTrue(json.has(key), "train --json lacks " + key + ": " + o.out());
        }
        assertEquals(30, json.get("steps").asInt());
        assertEquals(Math.exp(json.get("val_loss").asDouble()), json.get("val_perplexity").asDouble(), 1e-9);
    }

    @Test
    void evalPrintsLossPerplexityAndBits() throws IOException {
        CliRun o = ballast("eval", "--model", run.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode json = Json.MAPPER.readTree(o.out());
        double loss = json.get("loss").asDouble();
        assertEquals(Math.exp(loss), json.get("perplexity").asDouble(), 1e-9);
        assertEquals(loss / Math.log(2), json.get("bits_per_token").asDouble(), 1e-9);
        assertTrue(json.get("tokens").asLong() > 0);
    }

    @Test
    void generateIsReproducibleWithASeed() throws IOException {
        CliRun a = ballast("generate", "--model", run.toString(), "--prime", "To be", "--length", "40", "--seed", "5", "--json");
        CliRun b = ballast("generate", "--model", run.toString(), "--prime", "To be", "--length", "40", "--seed", "5", "--json");
        assertEquals(0, a.code(), a.err());
        String text = Json.MAPPER.readTree(a.out()).get("text").asText();
        assertEquals(40, text.codePointCount(0, text.length()));
        assertEquals(a.out(), b.out());
    }

    @Test
    void generateAcceptsUnknownCharactersInThePrime() {
        CliRun o = ballast("generate", "--model", run.toString(), "--prime", "Жизнь", "--length", "10", "--seed", "1");
        assertEquals(0, o.code(), o.err());
    }

    @Test
    void missingCorpusIsOneLineError() {
        assertBadInput(ballast("train", "--corpus", tmp.resolve("nope.txt").toString()), "nope.txt");
    }

    @Test
    void emptyCorpusIsOneLineError() throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        assertBadInput(ballast("train", "--corpus", empty.toString()), "empty");
    }

    @Test
    void binaryCorpusIsOneLineError() throws IOException {
        Path bin = Files.write(tmp.resolve("data.bin"), new byte[] {1, 2, 0, 3, 4, 5});
        assertBadInput(ballast("train", "--corpus", bin.toString()), "binary");
    }

    @Test
    void invalidUtf8NamesTheByteOffset() throws IOException {
        Path bad = Files.write(tmp.resolve("latin1.txt"), new byte[] {'a', 'b', 'c', (byte) 0xE9, 'd', '\n'});
        assertBadInput(ballast("train", "--corpus", bad.toString()), "byte offset 3");
    }

    @Test
    void nonPositiveSizesAreOneLineErrors() {
        assertBadInput(ballast("train", "--hidden", "0"), "--hidden must be at least 1, got 0");
        assertBadInput(ballast("train", "--batch", "-2"), "--batch must be at least 1, got -2");
        assertBadInput(ballast("train", "--cell", "gru"), "gru");
    }

    @Test
    void corruptCheckpointIsOneLineError() throws IOException {
        Path copy = tmp.resolve("corrupt");
        Files.createDirectories(copy);
        Path best = dev.ballast.training.checkpoint.CheckpointStore.resolveModel(run);
        Files.copy(best.resolve("model.json"), copy.resolve("model.json"));
        byte[] weights = Files.readAllBytes(best.resolve("weights.safetensors"));
        Files.write(copy.resolve("weights.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
        assertBadInput(ballast("eval", "--model", copy.toString()), "weights.safetensors");
        Files.writeString(copy.resolve("model.json"), "{\"format\": \"ballast-model\", ");
        assertBadInput(ballast("generate", "--model", copy.toString()), "model.json");
    }

    @Test
    void missingModelIsOneLineError() {
        assertBadInput(ballast("eval", "--model", tmp.resolve("no-such-run").toString()), "no-such-run");
    }

    @Test
    void resumeBelowTheCheckpointStepIsOneLineError() {
        assertBadInput(ballast("train", "--resume", run.toString(), "--steps", "10"), "is at step 30 already");
    }

    @Test
    void resumeRejectsArchitectureChanges() {
        assertBadInput(ballast("train", "--resume", run.toString(), "--hidden", "64"), "--hidden cannot be combined with --resume");
    }

    @Test
    void clipValueAloneSelectsValueClipping() throws IOException {
        Path out = tmp.resolve("clip-value");
        CliRun o = ballast("train", "--corpus", corpus.toString(), "--layers", "1", "--hidden", "8", "--embed", "4",
                "--seq", "8", "--batch", "2", "--steps", "2", "--eval-every", "0", "--sample-length", "0",
                "--clip-value", "0.25", "--out", out.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode model = Json.MAPPER.readTree(dev.ballast.training.checkpoint.CheckpointStore.resolveModel(out).resolve("model.json").toFile());
        assertEquals("value", model.at("/training/clip").asText());
        assertEquals(0.25, model.at("/training/clip_value").asDouble());
    }

    @Test
    void benchPrintsOneJsonObjectPerConfigAndTokenization() throws IOException {
        CliRun o = ballast("bench", "--config", "char-rnn-1x512", "--steps", "1", "--repeats", "1", "--threads", "1",
                "--tokenize", "builtin", "--json");
        assertEquals(0, o.code(), o.err());
        String[] lines = o.out().strip().split("\n");
        assertEquals(2, lines.length, o.out());
        JsonNode config = Json.MAPPER.readTree(lines[0]);
        assertEquals("char-rnn-1x512", config.get("config").asText());
        for (String key : new String[] {"train_tokens_per_s", "gen_tokens_per_s", "threads", "gflops"}) {
            assertTrue(config.get(key).asDouble() > 0, key + " in " + lines[0]);
        }
        for (String key : new String[] {"alloc_bytes_per_step", "gc_count", "gc_ms"}) {
            assertTrue(config.get(key).isIntegralNumber() && config.get(key).asLong() >= -1, key + " in " + lines[0]);
        }
        assertTrue(config.get("max_heap_mb").asLong() > 0, lines[0]);
        assertTrue(Json.MAPPER.readTree(lines[1]).get("tokenization_mb_per_s").asDouble() > 0, lines[1]);
        assertBadInput(ballast("bench", "--config", "char-gru"), "unknown --config 'char-gru'");
    }

    @Test
    void helpDescribesEveryCommand() {
        CliRun o = ballast("--help");
        assertEquals(0, o.code());
        for (String c : new String[] {"train", "eval", "generate"}) {
            assertTrue(o.out().contains(c), o.out());
            CliRun sub = ballast(c, "--help");
            assertEquals(0, sub.code());
            assertTrue(sub.out().contains("--json"), sub.out());
        }
        assertTrue(ballast("train", "--help").out().contains("default: 256"), "defaults come from TrainingConfig");
    }

    private static void assertBadInput(CliRun o, String expected) {
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code(), o.err());
        String err = o.err().strip();
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertFalse(err.contains("Exception"), "no exception class names: " + err);
    }
}
