package dev.ballast.cli;

import static dev.ballast.cli.CliRun.ballast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.Json;
import dev.ballast.lm.stress.StressSuite;
import dev.ballast.training.StressRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StabilityCliTest {

    @TempDir
    static Path tmp;
    static Path corpus;

    @BeforeAll
    static void writeCorpus() throws IOException {
        corpus = tmp.resolve("corpus.txt");
        Files.writeString(corpus, "To be, or not to be, that is the question.\n".repeat(40), StandardCharsets.UTF_8);
    }

    private static CliRun train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--corpus", corpus.toString(), "--layers", "1",
                "--hidden", "16", "--embed", "8", "--seq", "16", "--batch", "4", "--steps", "20", "--eval-every", "0",
                "--sample-length", "0", "--threads", "1", "--diagnose-every", "5", "--out", out.toString(), "--json"));
        args.addAll(List.of(extra));
        return ballast(args.toArray(new String[0]));
    }

    @Test
    void trainJsonCarriesTheStabilitySummary() throws IOException {
        CliRun o = train(tmp.resolve("run"), "--clip", "agc", "--clip-ratio", "0.05");
        assertEquals(0, o.code(), o.err());
        JsonNode s = Json.MAPPER.readTree(o.out()).get("stability");
        for (String key : new String[] {"clipped_fraction", "nonfinite_steps", "rollbacks", "max_grad_norm"}) {
            assertTrue(s.has(key), "stability lacks " + key + ": " + o.out());
        }
        assertEquals(0, s.get("rollbacks").asInt());
        assertTrue(s.get("max_grad_norm").asDouble() > 0);
    }

    @Test
    void diagnoseExplainsARun() {
        Path run = tmp.resolve("diag");
        assertEquals(0, train(run, "--clip", "auto").code());
        CliRun o = ballast("diagnose", run.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("20 updates"), o.out());
        assertTrue(o.out().contains("spectral norm of recurrent matrices"), o.out());
        assertTrue(o.out().contains("report.html"), o.out());
    }

    @Test
    void diagnoseOfADirectoryWithoutAReportIsOneLineError() {
        CliRun o = ballast("diagnose", tmp.resolve("nothing").toString());
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code());
        assertTrue(o.err().contains("stability.json does not exist"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    @Test
    void badStabilityFlagsNameTheFlag() {
        CliRun o = train(tmp.resolve("bad"), "--recovery", "maybe");
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code());
        assertTrue(o.err().contains("--recovery must be one of on, off, got 'maybe'"), o.err());
        o = train(tmp.resolve("bad2"), "--clip", "agc", "--clip-ratio", "0");
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code());
        assertTrue(o.err().contains("--clip-ratio"), o.err());
    }

    @Test
    void trendRuleAndResidualFlagsReachTheConfigAndNameThemselvesWhenWrong() {
        CliRun o = train(tmp.resolve("bad3"), "--regress-patience", "-2");
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code());
        assertTrue(o.err().contains("--regress-patience must be at least 0"), o.err());
        o = train(tmp.resolve("bad4"), "--residual"); // the helper trains one layer
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code());
        assertTrue(o.err().contains("--residual adds each layer's input to its output from layer 1 up"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        o = ballast("stress", "--init", "random");
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code());
        assertTrue(o.err().contains("--init must be one of pinned, defaults, got 'random'"), o.err());
    }

    @Test
    void stressJsonHasTheDocumentedShape() {
        StressSuite.Case c = StressSuite.cases().get(0);
        JsonNode n = StressCommand.toJson(List.of(new StressRun.Result(c.name(), c.description(),
                new StressRun.Outcome(true, Double.NaN, 2, 0, 0), new StressRun.Outcome(false, 2.5, 3, 0.25, 1), null)));
        JsonNode first = n.get("cases").get(0);
        assertEquals(c.name(), first.get("name").asText());
        assertTrue(first.get("unprotected").get("diverged").asBoolean());
        assertTrue(first.get("unprotected").get("final_loss").isNull());
        assertEquals(2.5, first.get("protected").get("final_loss").asDouble());
        assertEquals(3, first.get("protected").get("incidents").asInt());
        assertEquals(0.25, first.get("protected").get("clipped_fraction").asDouble());
    }
}
