package dev.ballast.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.export.OnnxMetadata;
import dev.ballast.export.OnnxRunner;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.lm.ModelFiles;

import java.nio.file.Path;

/**
 * The {@link InferenceModel} back-end that runs an exported {@code .onnx} file in ONNX Runtime. The file
 * alone is enough: its metadata rebuilds the tokenizer and the configuration. Holds a native session;
 * close it.
 */
public final class OnnxModel implements InferenceModel {

    private final OnnxRunner runner;
    private final ModelInfo info;

    private OnnxModel(OnnxRunner runner) {
        this.runner = runner;
        OnnxMetadata.Contents contents = runner.contents();
        this.info = new ModelInfo("onnxruntime", runner.source(), contents.config(), contents.tokenizer().type(),
                provenance(contents));
    }

    /** @throws dev.ballast.engine.io.CheckpointException one line naming the file when it is not a Ballast ONNX model */
    public static OnnxModel open(Path file, int threads) {
        return new OnnxModel(OnnxRunner.open(file, threads));
    }

    private static JsonNode provenance(OnnxMetadata.Contents contents) {
        String text = contents.raw().get(OnnxMetadata.PROVENANCE);
        try {
            return text == null ? JsonNodeFactory.instance.objectNode() : ModelFiles.JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tokenizer tokenizer() {
        return runner.contents().tokenizer();
    }

    @Override
    public void forward(int[] tokens, int steps, int batch, float[] h, float[] c, float[] logProbs) {
        long[] ids = new long[steps * batch];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens[i];
        }
        runner.run(ids, steps, batch, h, c, logProbs);
    }

    @Override
    public void close() {
        runner.close();
    }
}
