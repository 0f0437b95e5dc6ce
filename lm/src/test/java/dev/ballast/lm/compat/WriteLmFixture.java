package dev.ballast.lm.compat;

import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Writes a fixture of the model directory format that this checkout's {@link ModelFiles#save} writes, for
 * {@link LegacyLmFixtureTest}. Off unless asked for:
 *
 * <pre>
 * mvn -B -q -pl training -am test -Dtest=WriteLmFixture -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dballast.fixture=lm-v1
 * </pre>
 *
 * writes {@code training/src/test/resources/fixtures/<name>/} ({@code model.json}, {@code weights.safetensors}
 * and {@code expected.json}, the probe's logits). It never overwrites: a fixture records the format of the
 * code that wrote it, so a later format goes under a new name:
 * <ul>
 *   <li>{@code lm-v1}: written at commit c3682b6 (the one that added this class), before model.json had
 *       {@code kind} and a {@code weights} block;</li>
 *   <li>{@code lm-v1-weights-sha256}: with the shared model-file header, the weights' SHA-256 recorded.</li>
 * </ul>
 */
class WriteLmFixture {

    @Test
    @EnabledIfSystemProperty(named = "ballast.fixture", matches = "lm-.+")
    void write() throws Exception {
        Path dir = Path.of("src/test/resources/fixtures", System.getProperty("ballast.fixture"));
        assertFalse(Files.exists(dir), dir + " exists; fixtures are never overwritten");
        TrainedModel m = LmFixture.create();
        ModelFiles.save(m, dir);
        Files.writeString(dir.resolve("expected.json"), LmFixture.expectedJson(m));
    }
}
