package dev.ballast.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.tokenizer.word.AnalyzerSpec;
import dev.ballast.tokenizer.word.LmRules;
import dev.ballast.tokenizer.word.WordTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tokenizer block of model.json says everything another runtime needs to produce the same ids. */
class TokenizerCodecTest {

    @Test
    void lmWordTokenizerCarriesItsRulesStartUnknownIdAndSpecials() throws Exception {
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), "the market rose .\n", 1, 0);
        ObjectNode json = TokenizerCodec.toJson(tok);
        assertEquals("word", json.get("type").asText());
        assertEquals("lm", json.get("analyzer").asText());
        JsonNode rules = json.get("rules");
        assertEquals("lm", rules.get("preset").asText());
        assertEquals(LmRules.VERSION, rules.get("version").asInt());
        assertEquals(LmRules.PATTERN, rules.get("pattern").asText());
        assertTrue(rules.get("pattern_usage").asText().contains("'gu'"));
        assertTrue(rules.get("description").isArray() && rules.get("description").size() >= 4);
        assertTrue(rules.get("description").toString().contains("<unk>"));
        assertEquals("<eos>", json.get("line_end_token").asText());
        assertEquals(1, json.at("/start/id").asInt());
        assertEquals("<eos>", json.at("/start/token").asText());
        assertTrue(json.at("/start/description").asText().contains("first token"));
        assertEquals(0, json.get("unknown_id").asInt());
        assertEquals(ModelFiles.JSON.readTree("[{\"id\": 0, \"token\": \"<unk>\", \"role\": \"unknown\"},"
                + " {\"id\": 1, \"token\": \"<eos>\", \"role\": \"line_end\"}]"), json.get("special_tokens"));
        assertEquals("symbols", last(json), "the long vocabulary comes last");
        assertEquals(tok, TokenizerCodec.fromJson(json, "model.json"));
    }

    @Test
    void otherAnalyzersHaveNoPortableRulesButTheSameConventions() {
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.parse("whitespace"), "a b\n", 1, 0);
        ObjectNode json = TokenizerCodec.toJson(tok);
        assertFalse(json.has("rules"), json.toString());
        assertEquals("<eos>", json.get("line_end_token").asText());
        assertEquals(1, json.at("/start/id").asInt());
        assertEquals(0, json.get("unknown_id").asInt());
        assertEquals(2, json.get("special_tokens").size());
    }

    @Test
    void charTokenizerStartsAfterItsLineBreak() {
        CharTokenizer tok = CharTokenizer.fit("ab\n", UnknownPolicy.REPLACE); // <unk> \n a b
        ObjectNode json = TokenizerCodec.toJson(tok);
        assertFalse(json.has("rules"));
        assertEquals("\n", json.get("line_end_token").asText());
        assertEquals(1, json.at("/start/id").asInt());
        assertEquals("\n", json.at("/start/token").asText());
        assertEquals(0, json.get("unknown_id").asInt());
        assertEquals(1, json.get("special_tokens").size());
        assertEquals("unknown", json.at("/special_tokens/0/role").asText());
        assertEquals("\uFFFD", json.at("/special_tokens/0/decodes_to").asText());
        assertEquals("symbols", last(json));
        assertEquals(tok.vocabulary(), TokenizerCodec.fromJson(json, "model.json").vocabulary());
    }

    @Test
    void charTokenizerWithoutLineBreakOrUnknownSaysSo() {
        CharTokenizer tok = CharTokenizer.fit("ab", UnknownPolicy.ERROR);
        ObjectNode json = TokenizerCodec.toJson(tok);
        assertFalse(json.has("line_end_token"));
        assertEquals(-1, json.at("/start/id").asInt());
        assertTrue(json.at("/start/token").isNull());
        assertEquals(-1, json.get("unknown_id").asInt());
        assertEquals(0, json.get("special_tokens").size());
    }

    @Test
    void oldBlocksWithoutTheNewFieldsStillRead() throws Exception {
        Tokenizer word = TokenizerCodec.fromJson(ModelFiles.JSON.readTree(
                "{\"type\": \"word\", \"unknown_policy\": \"replace\", \"analyzer\": \"lm\", \"symbols\": [\"<unk>\", \"<eos>\", \"a\"]}"),
                "model.json");
        assertEquals(List.of("<unk>", "<eos>", "a"), word.vocabulary().symbols());
        assertEquals(1, word.startId());
        Tokenizer chars = TokenizerCodec.fromJson(ModelFiles.JSON.readTree(
                "{\"type\": \"char\", \"unknown_policy\": \"error\", \"symbols\": [\"\\n\", \"a\"]}"), "model.json");
        assertEquals(0, chars.startId());
    }

    @Test
    void rulesFromANewerBallastAreRefusedNamingTheVersion() {
        ObjectNode json = TokenizerCodec.toJson(WordTokenizer.fit(AnalyzerSpec.defaults(), "a\n", 1, 0));
        ((ObjectNode) json.get("rules")).put("version", LmRules.VERSION + 1);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TokenizerCodec.fromJson(json, "model.json"));
        assertTrue(e.getMessage().startsWith("model.json: tokenizer.rules.version " + (LmRules.VERSION + 1)), e.getMessage());
    }

    private static String last(ObjectNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names.get(names.size() - 1);
    }
}
