package dev.ballast.training.stability;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void stateIsWrittenAsNamedFieldsAndReadBackExactly() {
        // {ema, count, best = +inf before the warm-up}: named, with "no best yet" as null, and the same array back.
        double[] spike = {2.0000000000000004, 3, Double.POSITIVE_INFINITY};
        ObjectNode saved = JsonNodeFactory.instance.objectNode();
        saved.set("spike", StabilityState.named(StabilityState.SPIKE, spike));
        assertEquals(2.0000000000000004, saved.get("spike").get("ema").asDouble());
        assertTrue(saved.get("spike").get("best").isNull());
        double[] back = StabilityState.values(saved, "spike", StabilityState.SPIKE, Path.of("stability-state.json"));
        assertEquals(3, back.length);
        assertEquals(spike[0], back[0]);
        assertTrue(Double.isNaN(back[2]), "null reads as NaN, which the detector takes as 'no best yet'");
        // A block with a variable-length tail (the recovery policy's quarantined batches).
        double[] recovery = {0.5, 0.25, 1, 2, 3, 17, 42};
        saved.set("recovery", StabilityState.named(StabilityState.RECOVERY, recovery));
        assertEquals(2, saved.get("recovery").get("quarantined").size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(recovery,
                StabilityState.values(saved, "recovery", StabilityState.RECOVERY, Path.of("s.json")));
    }
}
