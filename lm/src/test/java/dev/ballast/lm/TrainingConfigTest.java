package dev.ballast.lm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.InputException;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.InitScheme;
import dev.ballast.engine.optim.ClipMode;
import dev.ballast.engine.optim.OptimizerKind;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.training.Recovery;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingConfigTest {

    @Test
    void defaultsAreTheReferenceConfiguration() {
        TrainingConfig c = TrainingConfig.builder().build();
        assertEquals(CellType.LSTM, c.cell());
        assertEquals(2, c.layers());
        assertEquals(256, c.hidden());
        assertEquals(64, c.embed());
        assertEquals(64, c.seq());
        assertEquals(32, c.batch());
        assertEquals(OptimizerKind.ADAM, c.optimizer());
        assertEquals(2e-3f, c.lr());
        assertEquals(ClipMode.GLOBAL_NORM, c.clip());
        assertEquals(5.0, c.clipNorm());
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheFlag() {
        assertMessage("hidden must be at least 1, got 0", TrainingConfig.builder().hidden(0));
        assertMessage("seq must be at least 1, got -4", TrainingConfig.builder().seq(-4));
        assertMessage("dropout must be in [0, 1), got 1.0", TrainingConfig.builder().dropout(1f));
        assertMessage("valid_fraction must be in [0, 1), got 1.5", TrainingConfig.builder().validFraction(1.5));
        assertMessage("give steps or epochs, not both", TrainingConfig.builder().steps(5).epochs(2));
    }

    /** An explicit 0 is an error, not "the default": leaving the field out is how to ask for that. */
    @Test
    void explicitZeroStepsOrEpochsAreRefused() {
        assertMessage("steps must be at least 1, got 0 (leave it out for 500 steps)", TrainingConfig.builder().steps(0));
        assertMessage("epochs must be at least 1, got 0", TrainingConfig.builder().epochs(0));
        assertMessage("epochs must be at least 1, got -2", TrainingConfig.builder().epochs(-2));
        TrainingConfig unset = TrainingConfig.builder().build();
        assertEquals(null, unset.steps());
        assertEquals(TrainingConfig.DEFAULT_STEPS, unset.totalSteps(7));
        assertEquals(21, TrainingConfig.builder().epochs(3).build().totalSteps(7));
        assertEquals(40, TrainingConfig.builder().steps(40).build().totalSteps(7));
    }

    /** Files of earlier releases wrote 0 for "not given"; they read as not given, new files write null. */
    @Test
    void savedZeroStepsReadAsNotGiven() throws Exception {
        TrainingConfig old = ModelFiles.JSON.readValue("{\"steps\": 0, \"epochs\": 0}", TrainingConfig.class);
        assertEquals(null, old.steps());
        assertEquals(null, old.epochs());
        assertEquals(600L, ModelFiles.JSON.readValue("{\"steps\": 600, \"epochs\": 0}", TrainingConfig.class).steps());
        assertEquals(4, ModelFiles.JSON.readValue("{\"epochs\": 4}", TrainingConfig.class).epochs());
        JsonNode written = ModelFiles.JSON.valueToTree(TrainingConfig.builder().build());
        assertTrue(written.get("steps").isNull() && written.get("epochs").isNull(), written.toString());
        assertEquals(old, ModelFiles.JSON.treeToValue(written, TrainingConfig.class));
    }

    /** Every choice a config holds is an enum whose parse error names the field and lists the ids. */
    @Test
    void enumParseErrorsListTheChoices() {
        List<Object[]> cases = List.of(
                new Object[] {(Function<String, ?>) CellType::parse, "gru", "cell must be one of lstm, rnn-tanh, rnn-relu, got 'gru'"},
                new Object[] {(Function<String, ?>) OptimizerKind::parse, "lion",
                        "optimizer must be one of sgd, adam, adamw, rmsprop, adagrad, got 'lion'"},
                new Object[] {(Function<String, ?>) ClipMode::parse, "norm",
                        "clip must be one of global-norm, layer-norm, tensor-norm, value, auto, agc, none, got 'norm'"},
                new Object[] {(Function<String, ?>) InitScheme::parse, "xavier", "init must be one of uniform, orthogonal, identity, got 'xavier'"},
                new Object[] {(Function<String, ?>) Recovery::parse, "yes", "recovery must be one of on, off, got 'yes'"},
                new Object[] {(Function<String, ?>) TokenLevel::parse, "bytes", "level must be one of char, word, got 'bytes'"},
                new Object[] {(Function<String, ?>) VocabScope::parse, "all", "vocab_scope must be one of train, corpus, got 'all'"},
                new Object[] {(Function<String, ?>) UnknownPolicy::parse, "ignore",
                        "unknown_policy must be one of error, skip, replace, got 'ignore'"});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Function<String, ?> parse = (Function<String, ?>) c[0];
            InputException e = assertThrows(InputException.class, () -> parse.apply((String) c[1]));
            assertEquals(c[2], e.getMessage());
            assertEquals(((String) c[2]).substring(0, ((String) c[2]).indexOf(' ')), e.field());
        }
        assertEquals(ClipMode.GLOBAL_NORM, ClipMode.parse(" Global-Norm "), "ids are read ignoring case and blanks");
    }

    /** The enums are written as the ids older releases wrote, so saved models and checkpoints read both ways. */
    @Test
    void jsonHoldsTheSameIdsAsBefore() throws Exception {
        TrainingConfig c = TrainingConfig.builder().cell(CellType.RNN_TANH).init(InitScheme.ORTHOGONAL)
                .optimizer(OptimizerKind.ADAMW).clip(ClipMode.AGC).recovery(Recovery.OFF).level(TokenLevel.WORD)
                .vocabScope(VocabScope.CORPUS).build();
        JsonNode n = ModelFiles.JSON.valueToTree(c);
        assertEquals("rnn-tanh", n.get("cell").asText());
        assertEquals("orthogonal", n.get("init").asText());
        assertEquals("adamw", n.get("optimizer").asText());
        assertEquals("agc", n.get("clip").asText());
        assertEquals("off", n.get("recovery").asText());
        assertEquals("word", n.get("level").asText());
        assertEquals("corpus", n.get("vocab_scope").asText());
        assertEquals("replace", n.get("unknown_policy").asText());
        assertEquals(c, ModelFiles.JSON.treeToValue(n, TrainingConfig.class));
        Exception bad = assertThrows(Exception.class,
                () -> ModelFiles.JSON.readValue("{\"clip\": \"norm\"}", TrainingConfig.class));
        assertTrue(bad.getMessage().contains("clip must be one of global-norm"), bad.getMessage());
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        TrainingConfig c = TrainingConfig.builder().corpus("x.txt").cell(CellType.RNN_RELU).hidden(33).dropout(0.25f)
                .optimizer(OptimizerKind.SGD).momentum(0.9).nesterov(true).weightDecay(0.01).lrSchedule("step:100:0.5").seed(42).build();
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
