package dev.ballast.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.compat.LmFixture;
import dev.ballast.training.Trainer;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.model.WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The language model's directory through the shared model-file convention. */
class ModelFilesTest {

    @TempDir
    Path tmp;

    private static String loadError(Path dir) {
        String m = assertThrows(CheckpointException.class, () -> ModelFiles.load(dir, KernelProvider.scalar()))
                .getMessage();
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void roundTripKeepsEverythingAndRecordsTheWeightsHash() throws IOException {
        TrainedModel m = LmFixture.create();
        Path dir = tmp.resolve("m");
        ModelFiles.save(m, dir);

        JsonNode doc = ModelFiles.readJson(dir.resolve(ModelFiles.MODEL_JSON));
        assertEquals("ballast-model", doc.get("format").asText());
        assertEquals(1, doc.get("version").asInt());
        assertEquals("language-model", doc.get("kind").asText());
        assertEquals("weights.safetensors", doc.at("/weights/file").asText());
        assertEquals(WeightsFile.sha256(dir.resolve(ModelFiles.WEIGHTS)), doc.at("/weights/sha256").asText());
        assertEquals(272, doc.at("/model/parameters").asLong());
        assertFalse(doc.path("model").has("tie_weights") || doc.path("model").has("residual"));

        TrainedModel back = ModelFiles.load(dir, KernelProvider.scalar());
        assertEquals(m.network().config(), back.network().config());
        assertEquals(m.tokenizer().vocabulary().symbols(), back.tokenizer().vocabulary().symbols());
        assertEquals(m.training(), back.training());
        assertEquals(m.provenance(), back.provenance());
        assertEquals(m.metrics(), back.metrics());
        assertArrayEquals(LmFixture.logits(m), LmFixture.logits(back));
        ObjectNode described = (ObjectNode) ModelFiles.JSON.readTree(ModelFiles.toJson(ModelFiles.describe(back)));
        assertEquals(((ObjectNode) doc.deepCopy()).without("weights"), described,
                "describe is the saved document but for the weights block");
    }

    @Test
    void aFlippedBitInTheWeightsIsAOneLineErrorNamingTheFile() throws IOException {
        Path dir = tmp.resolve("m");
        ModelFiles.save(LmFixture.create(), dir);
        Path weights = dir.resolve(ModelFiles.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 10] ^= 0x10;
        Files.write(weights, bytes);
        String m = loadError(dir);
        assertTrue(m.startsWith(weights + " is damaged or belongs to another model: its SHA-256 is "), m);
    }

    /** Saves the fixture model in tmp/m and returns its model.json, read. */
    private ObjectNode savedDocument() {
        ModelFiles.save(LmFixture.create(), tmp.resolve("m"));
        return (ObjectNode) ModelFiles.readJson(tmp.resolve("m").resolve(ModelFiles.MODEL_JSON));
    }

    private Path rewrite(ObjectNode doc) throws IOException {
        Files.writeString(tmp.resolve("m").resolve(ModelFiles.MODEL_JSON), ModelFiles.toJson(doc));
        return tmp.resolve("m");
    }

    @Test
    void aShapeMismatchNamesTheTensor() throws IOException {
        ObjectNode doc = savedDocument();
        ((ObjectNode) doc.get("model")).put("hidden", 5);
        Path dir = rewrite(doc);
        assertEquals(dir.resolve(ModelFiles.WEIGHTS) + ": tensor 'layers.0.w_input' has shape [3, 16] but the model needs [3, 20]",
                loadError(dir));
    }

    @Test
    void malformedFieldsAreNamed() throws IOException {
        ObjectNode doc = savedDocument();
        ((ObjectNode) doc.get("model")).put("cell", "gru");
        Path dir = rewrite(doc);
        Path json = dir.resolve(ModelFiles.MODEL_JSON);
        String m = loadError(dir);
        assertTrue(m.startsWith(json + ": model.cell: ") && m.contains("cell must be one of lstm"), m);

        ((ObjectNode) doc.get("model")).put("cell", "lstm").remove("vocab_size");
        rewrite(doc);
        m = loadError(dir);
        assertTrue(m.startsWith(json + ": model") && m.contains("vocab_size"), m);

        ((ObjectNode) doc.get("model")).put("vocab_size", 18);
        doc.put("version", 2);
        rewrite(doc);
        assertEquals(json + " has format version 2; this Ballast reads ballast-model versions 1 to 1", loadError(dir));
    }

    @Test
    void oversizedShapesAreRefusedBeforeAllocatingNamingTheFile() throws IOException {
        ObjectNode doc = savedDocument();
        Path dir = rewrite(doc);
        Path json = dir.resolve(ModelFiles.MODEL_JSON);
        // 4 x 2^30 overflows an int: refused by name, not an internal error or a wrapped-around size.
        ((ObjectNode) doc.get("model")).put("hidden", 1073741824);
        rewrite(doc);
        String m = loadError(dir);
        assertTrue(m.startsWith(json + ": model (hidden 1073741824"), m);
        assertTrue(m.contains("would hold") && m.contains("more than a Java array can"), m);
        // Fits every array but not the heap.
        ((ObjectNode) doc.get("model")).put("hidden", 20000).put("embed", 20000).put("layers", 8);
        rewrite(doc);
        m = loadError(dir);
        assertTrue(m.startsWith(json + ": model (hidden 20000") && m.contains("needs") && m.contains("the heap is"), m);
    }

    @Test
    void aTrainedModelsProvenanceNamesItsCorpusWithoutAPath() throws IOException {
        Path corpus = TinyCorpus.write(tmp, 2000).toAbsolutePath();
        TrainingConfig config = TrainingConfig.builder().corpus(corpus.toString()).layers(1).hidden(8).embed(4)
                .seq(8).batch(4).steps(4).evalEvery(0).sampleLength(0).threads(1).build();
        LanguageModelTask.start(config, tmp.resolve("run"), null).run();
        Path dir = CheckpointStore.resolveModel(tmp.resolve("run"));
        JsonNode provenance = ModelFiles.readJson(dir.resolve(ModelFiles.MODEL_JSON)).get("provenance");
        assertEquals("tiny.txt", provenance.get("corpus").asText());
        assertEquals(64, provenance.get("corpus_sha256").asText().length());
        assertNoPath(provenance, tmp.toString());
        assertEquals("tiny.txt", ModelFiles.load(dir, KernelProvider.scalar()).provenance().corpus());
    }

    private static void assertNoPath(JsonNode json, String dir) {
        json.forEach(v -> {
            String s = v.asText();
            assertFalse(v.isContainerNode() || s.startsWith("/") || s.contains(dir), "a path in provenance: " + v);
        });
    }
}
