package dev.ballast.lm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.tokenizer.word.WordTokenizer;
import dev.ballast.training.model.ModelDocument;

import java.util.List;

/**
 * Writes a tokenizer (type, unknown-symbol policy, vocabulary, and for words the analyzer spec) into the
 * model's JSON ({@code tokenizer}) and rebuilds it, so generation and evaluation never need the corpus again.
 */
public final class TokenizerCodec {

    /** The {@code tokenizer} block; {@code analyzer} only for word tokenizers. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Spec(String type, String unknownPolicy, String analyzer, List<String> symbols) {
    }

    private TokenizerCodec() {
    }

    public static ObjectNode toJson(Tokenizer tokenizer) {
        String analyzer = tokenizer instanceof WordTokenizer word ? word.analyzerSpec().spec() : null;
        return Json.MAPPER.valueToTree(new Spec(tokenizer.type(), tokenizer.unknownPolicy().id(), analyzer,
                tokenizer.vocabulary().symbols()));
    }

    /**
     * @param source names the file for error messages
     */
    public static Tokenizer fromJson(JsonNode n, String source) {
        if (!n.path("symbols").isArray() || n.path("symbols").isEmpty()) {
            throw new CheckpointException(source + ": tokenizer.symbols must be a non-empty array");
        }
        Spec spec = ModelDocument.bind(n, Spec.class, source + ": tokenizer");
        String type = spec.type() == null ? "" : spec.type();
        UnknownPolicy policy;
        try {
            policy = UnknownPolicy.parse(spec.unknownPolicy() == null ? "replace" : spec.unknownPolicy());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": tokenizer.unknown_policy: " + e.getMessage());
        }
        try {
            return switch (type) {
                case "char" -> CharTokenizer.restore(spec.symbols(), policy);
                case "word" -> WordTokenizer.restore(spec.analyzer() == null ? "" : spec.analyzer(), spec.symbols());
                default -> throw new CheckpointException(source + ": unknown tokenizer.type '" + type
                        + "' (this Ballast knows: char, word)");
            };
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(source + ": tokenizer: " + e.getMessage());
        }
    }
}
