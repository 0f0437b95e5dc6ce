package dev.ballast.cli;

import static dev.ballast.cli.CliRun.ballast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballast.engine.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export, score and generate over an exported file, end to end through the command line. */
class OnnxCliTest {

    @TempDir
    static Path tmp;
    static Path run;
    static Path onnx;

    @BeforeAll
    static void trainAndExport() throws IOException {
        Path corpus = tmp.resolve("corpus.txt");
        Files.writeString(corpus, "To be, or not to be, that is the question.\n".repeat(40), StandardCharsets.UTF_8);
        run = tmp.resolve("run");
        CliRun t = ballast("train", "--corpus", corpus.toString(), "--cell", "lstm", "--layers", "2", "--hidden", "16",
                "--embed", "8", "--seq", "16", "--batch", "4", "--steps", "20", "--eval-every", "10", "--sample-length", "10",
                "--threads", "1", "--out", run.toString(), "--json");
        assertEquals(0, t.code(), t.err());
        onnx = tmp.resolve("model.onnx");
        CliRun e = ballast("export", "--model", run.toString(), "--out", onnx.toString(), "--verify", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode json = Json.MAPPER.readTree(e.out());
        assertTrue(json.get("verify").get("passed").asBoolean(), e.out());
        assertTrue(json.get("verify").get("max_abs_diff").asDouble() <= 1e-4, e.out());
    }

    @Test
    void scoreGivesTheSameNumbersOnBothBackends() throws IOException {
        ObjectMapper m = Json.MAPPER;
        JsonNode a = m.readTree(ballast("score", "--model", run.toString(), "--text", "that is the question", "--json").out());
        JsonNode b = m.readTree(ballast("score", "--model", onnx.toString(), "--text", "that is the question", "--json").out());
        assertEquals("ballast", a.get("backend").asText());
        assertEquals("onnxruntime", b.get("backend").asText());
        assertEquals(20, b.get("tokens").asInt());
        assertEquals(a.get("total_log_prob").asDouble(), b.get("total_log_prob").asDouble(), 1e-3);
    }

    @Test
    void generateRunsAnExportedFileAlone() throws IOException {
        Path alone = Files.createDirectories(tmp.resolve("elsewhere")).resolve("copy.onnx");
        Files.copy(onnx, alone);
        CliRun a = ballast("generate", "--model", alone.toString(), "--prime", "To be", "--length", "25", "--greedy", "--json");
        CliRun b = ballast("generate", "--model", run.toString(), "--prime", "To be", "--length", "25", "--greedy", "--json");
        assertEquals(0, a.code(), a.err());
        ObjectMapper m = Json.MAPPER;
        assertEquals(m.readTree(b.out()).get("text"), m.readTree(a.out()).get("text"));
    }

    @Test
    void truncatedOrForeignFilesExitWithOneLine() throws IOException {
        Path cut = tmp.resolve("cut.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 3));
        Path text = tmp.resolve("text.onnx");
        Files.writeString(text, "hello");
        for (Path p : new Path[] {cut, text}) {
            for (String cmd : new String[] {"score", "generate"}) {
                CliRun o = "score".equals(cmd) ? ballast(cmd, "--model", p.toString(), "--text", "to be")
                        : ballast(cmd, "--model", p.toString(), "--length", "5");
                assertEquals(2, o.code(), o.err());
                assertEquals(1, o.err().strip().lines().count(), o.err());
                assertTrue(o.err().contains(p.getFileName().toString()), o.err());
            }
        }
    }
}
