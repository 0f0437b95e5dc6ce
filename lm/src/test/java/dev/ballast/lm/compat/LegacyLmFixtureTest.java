package dev.ballast.lm.compat;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.lm.TrainingConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Model directories written by earlier releases still load and compute what they computed then. */
class LegacyLmFixtureTest {

    /**
     * {@code lm-v1}: written before model.json had a weights block (no SHA-256 to check);
     * {@code lm-v1-weights-sha256}: with the shared header, its SHA-256 checked.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lm-v1", "lm-v1-weights-sha256"})
    void fixtureLoadsAndGivesTheRecordedLogits(String fixture) throws Exception {
        Path dir = LmFixture.resource("fixtures/" + fixture);
        TrainedModel m = ModelFiles.load(dir, KernelProvider.scalar());
        assertEquals(1, m.network().config().layers());
        assertEquals(4, m.network().config().hidden());
        assertEquals(18, m.tokenizer().vocabulary().size());
        assertEquals("tiny.txt", m.training().corpus());
        assertNull(m.training().steps(), "\"steps\": 0 meant the default, now null");
        assertNull(m.training().epochs());
        assertEquals(TrainingConfig.DEFAULT_STEPS, m.training().totalSteps(11));
        assertEquals("tiny.txt", m.provenance().corpus());
        assertEquals(0, m.metrics().path("step").asInt());
        assertArrayEquals(LmFixture.expectedLogits(dir), LmFixture.logits(m), 1e-6f);
        assertEquals(!fixture.equals("lm-v1"),
                ModelFiles.readJson(dir.resolve(ModelFiles.MODEL_JSON)).path("weights").has("sha256"));
    }
}
