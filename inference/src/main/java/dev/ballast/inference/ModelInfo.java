package dev.ballast.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.lm.ModelConfig;

/**
 * What an {@link InferenceModel} is.
 *
 * @param backend    {@code ballast} (the engine) or {@code onnxruntime}
 * @param source     the directory or file it was opened from
 * @param config     its architecture
 * @param tokenizer  the tokenizer type, e.g. {@code char}
 * @param provenance where it came from (model.json's or the ONNX metadata's provenance), or an empty object
 */
public record ModelInfo(String backend, String source, ModelConfig config, String tokenizer, JsonNode provenance) {

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("backend", backend);
        n.put("source", source);
        n.put("cell", config.cell().id());
        n.put("vocab_size", config.vocabSize());
        n.put("embed", config.embed());
        n.put("hidden", config.hidden());
        n.put("layers", config.layers());
        n.put("tokenizer", tokenizer);
        n.set("provenance", provenance == null ? JsonNodeFactory.instance.objectNode() : provenance);
        return n;
    }
}
