package dev.ballast.lm;

import dev.ballast.engine.InputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    @Test
    void defaultsAreTheReferenceConfiguration() {
        TrainingConfig c = TrainingConfig.builder().build();
        assertEquals("lstm", c.cell());
        assertEquals(2, c.layers());
        assertEquals(256, c.hidden());
        assertEquals(64, c.embed());
        assertEquals(64, c.seq());
        assertEquals(32, c.batch());
        assertEquals("adam", c.optimizer());
        assertEquals(2e-3f, c.lr());
        assertEquals("global-norm", c.clip());
        assertEquals(5.0, c.clipNorm());
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheFlag() {
        assertMessage("hidden must be at least 1, got 0", TrainingConfig.builder().hidden(0));
        assertMessage("seq must be at least 1, got -4", TrainingConfig.builder().seq(-4));
        assertMessage("dropout must be in [0, 1), got 1.0", TrainingConfig.builder().dropout(1f));
        assertMessage("valid_fraction must be in [0, 1), got 1.5", TrainingConfig.builder().validFraction(1.5));
        assertMessage("give steps or epochs, not both", TrainingConfig.builder().steps(5).epochs(2));
        InputException e = assertThrows(InputException.class, () -> TrainingConfig.builder().cell("gru").build());
        assertTrue(e.getMessage().contains("gru"), e.getMessage());
        e = assertThrows(InputException.class, () -> TrainingConfig.builder().optimizer("lion").build());
        assertTrue(e.getMessage().contains("lion"), e.getMessage());
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        TrainingConfig c = TrainingConfig.builder().corpus("x.txt").cell("rnn-relu").hidden(33).dropout(0.25f)
                .optimizer("sgd").momentum(0.9).nesterov(true).weightDecay(0.01).lrSchedule("step:100:0.5").seed(42).build();
        String json = ModelFiles.JSON.writeValueAsString(c);
        assertTrue(json.contains("\"clip_norm\""), json);
        assertEquals(c, ModelFiles.JSON.readValue(json, TrainingConfig.class));
    }

    @Test
    void unknownJsonFieldsAreRejectedByName() {
        Exception e = assertThrows(Exception.class,
                () -> ModelFiles.JSON.readValue("{\"hiden\": 3}", TrainingConfig.class));
        assertTrue(e.getMessage().contains("hiden"), e.getMessage());
    }

    @Test
    void trendRuleThresholdsAreValidatedByName() {
        assertMessage("regress_tolerance must be a positive number, got 0.0", TrainingConfig.builder().regressTolerance(0));
        assertMessage("regress_patience must be at least 0 (0 = off), got -1", TrainingConfig.builder().regressPatience(-1));
        assertMessage("val_tolerance must be at least 0, got -0.5", TrainingConfig.builder().valTolerance(-0.5));
        assertMessage("clip_alarm_factor must be a number of at least 1, got 0.5", TrainingConfig.builder().clipAlarmFactor(0.5));
        assertMessage("clip_alarm_window must be at least 0 (0 = off), got -3", TrainingConfig.builder().clipAlarmWindow(-3));
        assertMessage("recurrent_bound must be 0 (off) or a number of at least 1, got 0.5", TrainingConfig.builder().recurrentBound(0.5));
    }

    @Test
    void errorsCarryTheFieldTheyAreAbout() {
        InputException e = assertThrows(InputException.class, () -> TrainingConfig.builder().clipNorm(-1).build());
        assertEquals("clip_norm must be > 0, got -1.0", e.getMessage());
        assertEquals("clip_norm", e.field());
        e = assertThrows(InputException.class, () -> TrainingConfig.builder().tieWeights(true).embed(8).hidden(16).build());
        assertEquals("tie_weights", e.field());
        assertEquals(java.util.List.of("tie_weights", "embed", "hidden"), e.fields());
    }

    private static void assertMessage(String expected, TrainingConfig.Builder b) {
        InputException e = assertThrows(InputException.class, b::build);
        assertEquals(expected, e.getMessage());
    }
}
