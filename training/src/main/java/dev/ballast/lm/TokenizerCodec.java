package dev.ballast.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.tokenizer.word.WordTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a tokenizer (type, unknown-symbol policy, vocabulary, and for words the analyzer spec) into the model's JSON and rebuilds
 * it, so generation and evaluation never need the corpus again.
 */
public final class TokenizerCodec {

    private TokenizerCodec() {
    }

    public static ObjectNode toJson(Tokenizer tokenizer) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", tokenizer.type());
        n.put("unknown_policy", tokenizer.unknownPolicy().id());
        if (tokenizer instanceof WordTokenizer word) {
            n.put("analyzer", word.analyzerSpec().spec());
        }
        ArrayNode symbols = n.putArray("symbols");
        tokenizer.vocabulary().symbols().forEach(symbols::add);
        return n;
    }

    /**
     * @param source names the file for error messages
     */
    public static Tokenizer fromJson(JsonNode n, String source) {
        String type = n.path("type").asText("");
        JsonNode symbolsNode = n.path("symbols");
        if (!symbolsNode.isArray() || symbolsNode.isEmpty()) {
            throw new CheckpointException(source + ": tokenizer.symbols must be a non-empty array");
        }
        List<String> symbols = new ArrayList<>(symbolsNode.size());
        symbolsNode.forEach(s -> symbols.add(s.asText()));
        UnknownPolicy policy;
        try {
            policy = UnknownPolicy.parse(n.path("unknown_policy").asText("replace"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": tokenizer.unknown_policy: " + e.getMessage());
        }
        if (type.equals("char")) {
            try {
                return CharTokenizer.restore(symbols, policy);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(source + ": tokenizer: " + e.getMessage());
            }
        }
        if (type.equals("word")) {
            try {
                return WordTokenizer.restore(n.path("analyzer").asText(""), symbols);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(source + ": tokenizer: " + e.getMessage());
            }
        }
        throw new CheckpointException(source + ": unknown tokenizer.type '" + type + "' (this Ballast knows: char, word)");
    }
}
