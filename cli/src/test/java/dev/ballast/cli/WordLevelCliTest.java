package dev.ballast.cli;

import dev.ballast.lm.TokenLevel;

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

/** Word-level models through the command line: train, eval with OOV rate, generate, and flag errors. */
class WordLevelCliTest {

    @TempDir
    static Path tmp;
    static Path corpus;
    static Path run;

    @BeforeAll
    static void trainTinyWordModel() throws IOException {
        corpus = tmp.resolve("play.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append("HAMLET:\nTo be, or not to be, that is the question.\n\n");
            sb.append("OPHELIA:\nGood my lord, how does your honour?\n\n");
        }
        Files.writeString(corpus, sb, StandardCharsets.UTF_8);
        run = tmp.resolve("run");
        CliRun o = CliRun.ballast("train", "--level", "word", "--corpus", corpus.toString(), "--layers", "1",
                "--hidden", "16", "--embed", "16", "--tie-weights", "--seq", "8", "--batch", "4", "--steps", "60", "--lr", "0.01",
                "--eval-every", "20", "--sample-length", "15", "--threads", "1", "--out", run.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("OOV rate: train 0.000%"), o.err());
        JsonNode json = Json.MAPPER.readTree(o.out());
        assertEquals(60, json.get("steps").asInt());
        assertEquals(24, json.get("vocabulary").asInt());
        assertEquals(0.0, json.get("train_oov_rate").asDouble());
        // 24 symbols: a uniform guess scores log 24 = 3.18 nats
        assertTrue(json.get("val_loss").asDouble() < Math.log(24) - 1, "a word model that learned something: " + o.out());
    }

    @Test
    void savedModelKeepsAnalyzerAndVocabulary() throws IOException {
        Path best = dev.ballast.training.checkpoint.CheckpointStore.resolveModel(run);
        JsonNode model = Json.MAPPER.readTree(best.resolve("model.json").toFile());
        assertEquals("word", model.at("/tokenizer/type").asText());
        assertEquals("lm", model.at("/tokenizer/analyzer").asText());
        assertEquals("<unk>", model.at("/tokenizer/symbols/0").asText());
        assertEquals("<eos>", model.at("/tokenizer/symbols/1").asText());
        assertTrue(model.at("/model/tie_weights").asBoolean());
    }

    @Test
    void evalReportsPerplexityAndOovRate() throws IOException {
        Path other = Files.writeString(tmp.resolve("other.txt"), "To be, or not to be, Horatio.\n");
        CliRun o = CliRun.ballast("eval", "--model", run.toString(), "--corpus", other.toString(), "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode json = Json.MAPPER.readTree(o.out());
        assertEquals(1, json.get("unknown").asLong()); // Horatio
        assertEquals(1.0 / 11, json.get("oov_rate").asDouble(), 1e-12); // To be , or not to be , Horatio . <eos>
        assertEquals(Math.exp(json.get("loss").asDouble()), json.get("perplexity").asDouble(), 1e-9);
    }

    @Test
    void generateDetokenizesWordsWithSpacesAndLineBreaks() throws IOException {
        CliRun o = CliRun.ballast("generate", "--model", run.toString(), "--prime", "HAMLET:\n",
                "--length", "60", "--seed", "3", "--json");
        assertEquals(0, o.code(), o.err());
        String text = Json.MAPPER.readTree(o.out()).get("text").asText();
        assertTrue(text.contains(" "), text);
        assertFalse(text.contains(" ,") || text.contains(" ."), "punctuation attaches to its word: " + text);
        assertFalse(text.contains("<eos>"), text);
    }

    @Test
    void allOutOfVocabularyPrimeStillGenerates() throws IOException {
        CliRun o = CliRun.ballast("generate", "--model", run.toString(), "--prime", "Zyzzyva quux",
                "--length", "10", "--seed", "1", "--json");
        assertEquals(0, o.code(), o.err());
        assertFalse(Json.MAPPER.readTree(o.out()).get("text").asText().isBlank());
    }

    @Test
    void unknownAnalyzerAndInvalidSpecAreOneLineErrors() {
        assertBadInput(CliRun.ballast("train", "--level", "word", "--analyzer", "klingon"), "unknown analyzer 'klingon'");
        assertBadInput(CliRun.ballast("train", "--level", "word", "--analyzer", "tokenizer=standard|filtr=lowercase"),
                "unknown key 'filtr'");
        assertBadInput(CliRun.ballast("train", "--level", "word", "--analyzer", "tokenizer=standard|filter=lowercase,x=1"),
                "filter 'lowercase'");
        assertBadInput(CliRun.ballast("train", "--level", "sentence"), "--level must be one of char, word, got 'sentence'");
        assertBadInput(CliRun.ballast("train", "--level", "word", "--tie-weights", "--embed", "8", "--hidden", "16"),
                "--tie-weights needs --embed equal to --hidden");
        assertBadInput(CliRun.ballast("train", "--level", "word", "--max-vocab", "2"), "--max-vocab");
    }

    @Test
    void commaSeparatedCorpusIsReadInTheOrderGiven() throws IOException {
        Path a = Files.writeString(tmp.resolve("b-first.txt"), "one two\n");
        Path b = Files.writeString(tmp.resolve("a-second.txt"), "three four");
        dev.ballast.lm.TrainingData d = dev.ballast.lm.TrainingData.load(dev.ballast.lm.TrainingConfig
                .builder().level(TokenLevel.WORD).analyzer("whitespace").corpus(a + "," + b).validFraction(0.25).build());
        // one two <eos> three four <eos> (a line break is added after a file without one): 4 train words
        assertEquals(4, d.train().length);
        assertEquals("one two\nthree", d.tokenizer().decode(d.train()));
        assertEquals(2, d.valid().length);
        assertEquals(1, d.validUnknown()); // "four" never occurs in the training split
    }

    private static void assertBadInput(CliRun o, String expected) {
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code(), o.err());
        String err = o.err().strip();
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.contains("\n"), "one line: " + err);
        assertFalse(err.contains("Exception"), "no exception class names: " + err);
    }
}
