package dev.ballast.engine.optim;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning-rate schedules and the {@code --lr-schedule} parser. */
class SchedulesTest {

    @Test
    void constantNeverChanges() {
        LearningRateSchedule s = new ConstantSchedule(0.3f);
        assertEquals(0.3f, s.rate(0));
        assertEquals(0.3f, s.rate(1_000_000_000L));
        s.onValidation(5, 100.0);
        assertEquals(0.3f, s.rate(6));
        assertEquals(Map.of(), s.state());
    }

    @Test
    void stepDecayHalvesEveryThousandSteps() {
        LearningRateSchedule s = new StepDecaySchedule(0.1f, 1000, 0.5);
        assertEquals(0.1f, s.rate(0));
        assertEquals(0.1f, s.rate(999));
        assertEquals(0.05f, s.rate(1000));
        assertEquals(0.025f, s.rate(2500));
        assertEquals((float) (0.1f * Math.pow(0.5, 10)), s.rate(10_000));
    }

    /** lr 1, factor 0.5, patience 2, min 0.1, threshold 1%: improving means below best * 0.99. */
    static ReduceOnPlateauSchedule plateau() {
        return new ReduceOnPlateauSchedule(1f, 0.5, 2, 0.1f, 0.01);
    }

    @Test
    void plateauReducesAfterPatienceValidationsWithoutImprovement() {
        ReduceOnPlateauSchedule s = plateau();
        s.onValidation(100, 10.0);  // first loss is always an improvement: best 10
        assertEquals(1f, s.rate(101));
        s.onValidation(200, 9.95);  // not below 9.9: bad 1
        assertEquals(1f, s.rate(201));
        s.onValidation(300, 9.95);  // bad 2 = patience: halve, count restarts
        assertEquals(0.5f, s.rate(301));
        s.onValidation(400, 9.0);   // improvement: best 9, bad 0
        s.onValidation(500, 8.95);  // bad 1 (not below 8.91)
        assertEquals(0.5f, s.rate(501));
        s.onValidation(600, Double.NaN);  // NaN is no improvement: bad 2, halve
        assertEquals(0.25f, s.rate(601));
    }

    @Test
    void plateauNeverGoesBelowMinimum() {
        ReduceOnPlateauSchedule s = plateau();
        s.onValidation(0, 1.0);
        for (int i = 0; i < 20; i++) {
            s.onValidation(i + 1, 2.0);
        }
        // 1 -> 0.5 -> 0.25 -> 0.125 -> max(0.0625, 0.1)
        assertEquals(0.1f, s.rate(100));
    }

    @Test
    void plateauStateRoundTrips() {
        ReduceOnPlateauSchedule s = plateau();
        s.onValidation(0, 10.0);
        s.onValidation(1, 10.0);
        s.onValidation(2, 10.0);   // reduced to 0.5
        s.onValidation(3, 10.0);   // bad 1
        Map<String, Double> state = s.state();
        assertEquals(Map.of("lr", 0.5, "best", 10.0, "bad", 1.0), state);

        ReduceOnPlateauSchedule resumed = plateau();
        resumed.restore(state);
        assertEquals(0.5f, resumed.rate(4));
        resumed.onValidation(4, 10.0);  // bad 2: reduces exactly where the original would
        s.onValidation(4, 10.0);
        assertEquals(0.25f, resumed.rate(5));
        assertEquals(s.state(), resumed.state());
    }

    @Test
    void plateauInitialStateHasInfiniteBest() {
        assertEquals(Map.of("lr", 1.0, "best", Double.POSITIVE_INFINITY, "bad", 0.0), plateau().state());
    }

    @Test
    void restoreRejectsUnknownAndMissingKeys() {
        assertEquals("plateau schedule state has unknown key 'lr_'", assertThrows(IllegalArgumentException.class,
                () -> plateau().restore(Map.of("lr_", 1.0, "best", 1.0, "bad", 0.0))).getMessage());
        assertEquals("plateau schedule state is missing 'bad'", assertThrows(IllegalArgumentException.class,
                () -> plateau().restore(Map.of("lr", 1.0, "best", 1.0))).getMessage());
        assertEquals("cosine schedule state has unknown key 'lr'", assertThrows(IllegalArgumentException.class,
                () -> new CosineSchedule(1f, 0, 10, 0f).restore(Map.of("lr", 1.0))).getMessage());
    }

    @Test
    void cosineWarmsUpLinearlyThenDecaysToMinimum() {
        LearningRateSchedule s = new CosineSchedule(1f, 4, 12, 0.1f);
        assertEquals(0.25f, s.rate(0));   // lr * 1/4
        assertEquals(0.5f, s.rate(1));
        assertEquals(1f, s.rate(3));      // end of warm-up
        assertEquals(1f, s.rate(4));      // cos(0) = 1: start of the decay
        assertEquals(0.55f, s.rate(8), 1e-6f);  // halfway: 0.1 + 0.9 * (1 + cos(pi/2)) / 2
        assertEquals((float) (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 7 / 8))), s.rate(11), 1e-7f);
        assertEquals(0.1f, s.rate(12));   // reaches minLr at totalSteps
        assertEquals(0.1f, s.rate(1000)); // and stays there
    }

    @Test
    void cosineWithoutWarmupStartsAtFullRate() {
        LearningRateSchedule s = new CosineSchedule(2f, 0, 100, 0f);
        assertEquals(2f, s.rate(0));
        assertEquals(1f, s.rate(50), 1e-6f);
        assertEquals(0f, s.rate(100));
    }

    @Test
    void parsesEverySpec() {
        assertInstanceOf(ConstantSchedule.class, Schedules.parse("constant", 0.1f, 0));
        LearningRateSchedule step = Schedules.parse("step:1000:0.5", 0.1f, 0);
        assertEquals(0.05f, step.rate(1000));
        assertEquals("step(lr=0.1, every=1000, gamma=0.5)", step.describe());

        LearningRateSchedule cosine = Schedules.parse("cosine:10", 1f, 110);
        assertEquals(0.1f, cosine.rate(0));
        assertEquals(0.5f, cosine.rate(60), 1e-6f);
        assertEquals(0f, cosine.rate(110));
        assertEquals(1f, Schedules.parse("cosine", 1f, 110).rate(0));
    }

    @Test
    void plateauSpecDefaultsToHalfAfterTwo() {
        LearningRateSchedule s = Schedules.parse("plateau", 1f, 0);
        s.onValidation(0, 1.0);
        s.onValidation(1, 1.0);
        assertEquals(1f, s.rate(2));
        s.onValidation(2, 1.0);
        assertEquals(0.5f, s.rate(3));

        LearningRateSchedule custom = Schedules.parse("plateau:0.1:1", 1f, 0);
        custom.onValidation(0, 1.0);
        custom.onValidation(1, 1.0);
        assertEquals(0.1f, custom.rate(2));
        assertTrue(Schedules.parse("plateau:0.2", 1f, 0).describe().contains("factor=0.2, patience=2"));
    }

    static void assertParseError(String expected, String spec) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse(spec, 0.1f, 1000)).getMessage());
    }

    @Test
    void parseErrorsNameSpecAndProblem() {
        assertParseError("invalid lr_schedule 'step:x': EVERY must be a positive integer", "step:x");
        assertParseError("invalid lr_schedule 'step:0:0.5': EVERY must be a positive integer", "step:0:0.5");
        assertParseError("invalid lr_schedule 'step:100': missing parameters, expected step:EVERY:GAMMA",
                "step:100");
        assertParseError("invalid lr_schedule 'step:100:half': GAMMA must be a number, got 'half'",
                "step:100:half");
        assertParseError("invalid lr_schedule 'step:100:2': GAMMA must be in (0, 1], got 2.0", "step:100:2");
        assertParseError("invalid lr_schedule 'constant:1': too many parameters, expected constant",
                "constant:1");
        assertParseError("invalid lr_schedule 'plateau:1.5': FACTOR must be in (0, 1), got 1.5", "plateau:1.5");
        assertParseError("invalid lr_schedule 'plateau:0.5:0': PATIENCE must be a positive integer",
                "plateau:0.5:0");
        assertParseError("invalid lr_schedule 'cosine:-1': WARMUP must be a non-negative integer", "cosine:-1");
        assertParseError("invalid lr_schedule 'cosine:5000': WARMUP must be an integer in [0, 1000] (the total "
                + "steps), got 5000", "cosine:5000");
        assertParseError("invalid lr_schedule 'linear': unknown schedule 'linear' (choose constant, "
                + "step:EVERY:GAMMA, plateau[:FACTOR[:PATIENCE]], cosine[:WARMUP])", "linear");
        assertParseError("invalid lr_schedule '': empty (choose constant, step:EVERY:GAMMA, "
                + "plateau[:FACTOR[:PATIENCE]], cosine[:WARMUP])", "");
    }

    @Test
    void cosineNeedsKnownTotal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.parse("cosine", 0.1f, 0));
        assertTrue(e.getMessage().startsWith("invalid lr_schedule 'cosine': "), e.getMessage());
        assertTrue(e.getMessage().contains("total number of steps"), e.getMessage());
    }
}
