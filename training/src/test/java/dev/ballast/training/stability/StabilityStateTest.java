package dev.ballast.training.stability;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class StabilityStateTest {

    @Test
    void spikeDetectionSurvivesACheckpointWrittenDuringWarmUp() {
        // Before the warm-up ends the detector has no best average yet (+infinity); the checkpoint writes it as
        // JSON null, and reading it back must not leave min(NaN, ema) = NaN switching detection off for good.
        LossSpikeDetector before = new LossSpikeDetector(3);
        for (int i = 0; i < 3; i++) {
            before.accept(2.0);
        }
        ObjectNode saved = JsonNodeFactory.instance.objectNode();
        saved.set("spike", StabilityMonitor.array(before.state()));
        LossSpikeDetector resumed = new LossSpikeDetector(3);
        resumed.restore(StabilityState.doubles(saved, "spike", Path.of("stability-state.json")));
        for (int i = 0; i < 20; i++) {
            resumed.accept(2.0);
        }
        assertTrue(resumed.isSpike(100.0), "a loss 50x the average is a spike after the resume");
    }
}
