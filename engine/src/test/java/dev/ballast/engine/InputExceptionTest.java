package dev.ballast.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InputExceptionTest {

    private static final Map<String, String> FLAGS = Map.of("clip_norm", "--clip-norm", "steps", "--steps",
            "epochs", "--epochs", "embed", "--embed", "hidden", "--hidden", "tie_weights", "--tie-weights");

    @Test
    void aFieldMessageNamesTheFieldAndCarriesIt() {
        InputException e = InputException.field("clip_norm", "must be > 0, got -1.0");
        assertEquals("clip_norm must be > 0, got -1.0", e.getMessage());
        assertEquals("clip_norm", e.field());
        assertEquals("--clip-norm must be > 0, got -1.0", e.message(FLAGS::get));
        assertEquals("field 'clip_norm' must be > 0, got -1.0", e.message(f -> "field '" + f + "'"));
    }

    @Test
    void furtherFieldsAreSpelledTheSameWay() {
        InputException e = InputException.field("tie_weights", "needs {embed} equal to {hidden}, got {embed} 64");
        assertEquals("tie_weights needs embed equal to hidden, got embed 64", e.getMessage());
        assertEquals(List.of("tie_weights", "embed", "hidden"), e.fields());
        assertEquals("--tie-weights needs --embed equal to --hidden, got --embed 64", e.message(FLAGS::get));

        InputException both = InputException.naming("give {steps} or {epochs}, not both");
        assertEquals("give steps or epochs, not both", both.getMessage());
        assertEquals("steps", both.field());
        assertEquals("give --steps or --epochs, not both", both.message(FLAGS::get));
    }

    @Test
    void aFieldAFrontEndDoesNotKnowKeepsItsNameAndPlainMessagesStayAsTheyAre() {
        assertEquals("eval_every must be >= 1, got 0",
                InputException.field("eval_every", "must be >= 1, got 0").message(FLAGS::get));
        assertEquals("lr_schedule: empty", InputException.field("lr_schedule", ": empty").getMessage());
        InputException plain = new InputException("model.json is not valid JSON: {steps}");
        assertNull(plain.field());
        assertEquals("model.json is not valid JSON: {steps}", plain.message(FLAGS::get));
    }
}
