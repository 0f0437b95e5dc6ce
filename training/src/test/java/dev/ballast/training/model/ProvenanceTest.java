package dev.ballast.training.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvenanceTest {

    @Test
    void dataNamesKeepNoDirectory() {
        assertEquals("tiny.txt", Provenance.dataName("/home/someone/data/tiny.txt"));
        assertEquals("tiny.txt", Provenance.dataName("data/tiny.txt"));
        assertEquals("notes", Provenance.dataName("/srv/notes/"));
        assertEquals("x.csv", Provenance.dataName("C:\\Users\\me\\x.csv"));
        assertEquals("a.txt,b.txt", Provenance.dataName("/a/a.txt, /b/b.txt"));
        assertEquals("tinyshakespeare,builtin", Provenance.dataName("tinyshakespeare,builtin"));
        assertEquals("", Provenance.dataName(null));
    }

    @Test
    void provenanceHoldsNoAbsolutePath() {
        Path corpus = Path.of(System.getProperty("java.io.tmpdir"), "corpora", "tiny.txt").toAbsolutePath();
        Provenance p = Provenance.here("scalar", corpus.toString(), "ab".repeat(32), 100, 10);
        assertEquals("tiny.txt", p.corpus());
        ObjectNode json = Json.MAPPER.valueToTree(p);
        assertNoPath(json, corpus.getParent().toString());
    }

    /** No string of {@code json} is an absolute path or mentions {@code dir}. */
    static void assertNoPath(JsonNode json, String dir) {
        json.forEach(v -> {
            if (v.isContainerNode()) {
                assertNoPath(v, dir);
            } else {
                String s = v.asText();
                assertFalse(s.startsWith("/") || s.startsWith("\\") || s.matches("^[A-Za-z]:[\\\\/].*")
                        || s.contains(dir), "a path in provenance: " + s);
            }
        });
    }

    @Test
    void jsonRoundTripUsesSnakeCaseAndLeavesOutWhatIsUnknown() throws Exception {
        Provenance p = new Provenance("0.1.0", "2026-01-01T00:00:00Z", "17", "Vendor", "Linux 6", "amd64", 2,
                "vector", "tiny.txt", "ab".repeat(32), 100, 0);
        ObjectNode json = Json.MAPPER.valueToTree(p);
        assertEquals("tiny.txt", json.get("corpus").asText());
        assertEquals("ab".repeat(32), json.get("corpus_sha256").asText());
        assertEquals(100, json.get("train_tokens").asLong());
        assertFalse(json.has("valid_tokens"));
        assertEquals(p, Json.MAPPER.treeToValue(json, Provenance.class));

        Provenance sparse = Provenance.here(null, "s.csv", null, 0, 0);
        ObjectNode s = Json.MAPPER.valueToTree(sparse);
        assertFalse(s.has("kernels") || s.has("corpus_sha256") || s.has("train_tokens"), s.toString());
        assertTrue(s.has("java_version") && s.has("created"));
        assertEquals("", Json.MAPPER.treeToValue(s, Provenance.class).corpusSha256());
    }

    @Test
    void readsTheSourceOfVersionOneForecasterFiles() throws Exception {
        Provenance p = Json.MAPPER.readValue("{\"source\": \"/data/airline.csv\", \"created\": \"x\", \"cpus\": 2,"
                + " \"java_version\": \"17\", \"future_field\": 1}", Provenance.class);
        assertEquals("airline.csv", p.corpus());
        assertEquals(2, p.cpus());
        assertEquals("", p.kernels());
    }
}
