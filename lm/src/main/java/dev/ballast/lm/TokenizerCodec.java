package dev.ballast.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.tokenizer.Vocabulary;
import dev.ballast.tokenizer.word.AnalyzerSpec;
import dev.ballast.tokenizer.word.LmRules;
import dev.ballast.tokenizer.word.WordTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a tokenizer into the model's JSON and rebuilds it, so generation and evaluation never need the
 * corpus again; the ONNX exporter copies the block whole into the {@code ballast.tokenizer} metadata.
 *
 * <table>
 * <caption>The tokenizer block</caption>
 * <tr><td>{@code type}</td><td>{@code char} or {@code word}</td></tr>
 * <tr><td>{@code unknown_policy}</td><td>{@code replace}, {@code skip} or {@code error}</td></tr>
 * <tr><td>{@code analyzer}</td><td>words: the analyzer spec ({@code lm} by default)</td></tr>
 * <tr><td>{@code rules}</td><td>words with the {@code lm} analyzer: {@code preset}, {@code version},
 *     {@code unicode_version}, {@code description} (the splitting rules in words), {@code pattern} (the same
 *     rules as a regular expression) and {@code pattern_usage}; see {@link LmRules}</td></tr>
 * <tr><td>{@code line_end_token}</td><td>the token a line break becomes: {@code <eos>} for words,
 *     {@code "\n"} for characters (absent when the vocabulary has none)</td></tr>
 * <tr><td>{@code start}</td><td>{@code id}, {@code token}, {@code description}: the token a text is read
 *     after ({@link Tokenizer#startId()}); id -1 and token null when there is none</td></tr>
 * <tr><td>{@code unknown_id}</td><td>the id of a symbol outside the vocabulary, -1 when the policy is not
 *     {@code replace}</td></tr>
 * <tr><td>{@code special_tokens}</td><td>{@code [{id, token, role}]}, role {@code unknown} or
 *     {@code line_end}</td></tr>
 * <tr><td>{@code symbols}</td><td>the vocabulary, index = id</td></tr>
 * </table>
 *
 * <p>Only {@code type}, {@code unknown_policy}, {@code analyzer} and {@code symbols} are read back: the
 * other fields follow from them, and files written before they existed read as before.
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
            if (word.analyzerSpec().spec().equals(AnalyzerSpec.DEFAULT)) {
                n.set("rules", lmRules());
            }
        }
        Vocabulary vocabulary = tokenizer.vocabulary();
        int lineEnd = lineEndId(tokenizer);
        if (lineEnd >= 0) {
            n.put("line_end_token", vocabulary.symbol(lineEnd));
        }
        n.set("start", start(tokenizer));
        n.put("unknown_id", tokenizer.unknownId());
        ArrayNode specials = n.putArray("special_tokens");
        if (tokenizer.unknownId() >= 0) {
            ObjectNode unknown = specials.addObject();
            unknown.put("id", tokenizer.unknownId());
            unknown.put("token", vocabulary.symbol(tokenizer.unknownId()));
            unknown.put("role", "unknown");
            if (tokenizer instanceof CharTokenizer) {
                unknown.put("decodes_to", "\uFFFD"); // a character model's "<unk>" is one symbol, not five characters
            }
        }
        if (tokenizer instanceof WordTokenizer word) {
            ObjectNode eos = specials.addObject();
            eos.put("id", word.endOfLineId());
            eos.put("token", WordTokenizer.END_OF_LINE);
            eos.put("role", "line_end");
        }
        ArrayNode symbols = n.putArray("symbols");
        tokenizer.vocabulary().symbols().forEach(symbols::add);
        return n;
    }

    private static ObjectNode lmRules() {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("preset", AnalyzerSpec.DEFAULT);
        r.put("version", LmRules.VERSION);
        String unicode = LmRules.unicodeVersion();
        if (unicode != null) {
            r.put("unicode_version", unicode);
        }
        ArrayNode description = r.putArray("description");
        LmRules.DESCRIPTION.forEach(description::add);
        r.put("pattern", LmRules.PATTERN);
        r.put("pattern_usage", LmRules.PATTERN_USAGE);
        return r;
    }

    /** The id a line break in the text becomes, or -1. */
    private static int lineEndId(Tokenizer tokenizer) {
        return tokenizer instanceof WordTokenizer word ? word.endOfLineId() : tokenizer.vocabulary().id("\n");
    }

    private static ObjectNode start(Tokenizer tokenizer) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        int id = tokenizer.startId();
        s.put("id", id);
        if (id >= 0) {
            s.put("token", tokenizer.vocabulary().symbol(id));
            s.put("description", "A text is read as the start of a line, as training saw every line: feed id " + id
                    + " first, from the zero state; its output predicts the text's first token (so ballast score"
                    + " scores every token). Generation without a prompt starts from it too; a prompt is fed as it is.");
        } else {
            s.putNull("token");
            s.put("description", "The vocabulary has no line break: a text's first token is fed without being"
                    + " predicted (ballast score does not score it); generation without a prompt starts from id 0.");
        }
        return s;
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
            JsonNode rules = n.path("rules");
            if (rules.isObject() && rules.path("version").asInt(0) > LmRules.VERSION) {
                throw new CheckpointException(source + ": tokenizer.rules.version " + rules.path("version").asInt()
                        + " is newer than this Ballast's " + AnalyzerSpec.DEFAULT + " rules (version " + LmRules.VERSION
                        + "); use a newer Ballast");
            }
            try {
                return WordTokenizer.restore(n.path("analyzer").asText(""), symbols);
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(source + ": tokenizer: " + e.getMessage());
            }
        }
        throw new CheckpointException(source + ": unknown tokenizer.type '" + type + "' (this Ballast knows: char, word)");
    }
}
