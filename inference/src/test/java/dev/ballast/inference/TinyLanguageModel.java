package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.export.OnnxExporter;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;

/** The untrained 12-unit char RNN the server tests serve, exported to ONNX (its vocabulary: the Hamlet line). */
final class TinyLanguageModel {

    static final String TEXT = "To be, or not to be, that is the question.\n";

    private TinyLanguageModel() {
    }

    static InferenceModel open(Path dir) throws IOException {
        CharTokenizer tokenizer = CharTokenizer.fit(TEXT, UnknownPolicy.ERROR);
        LanguageModel net = new LanguageModel(new ModelConfig(CellType.RNN_TANH, tokenizer.vocabulary().size(), 8, 12, 1, 0f),
                KernelProvider.scalar());
        net.initialize(new Rng(2));
        Path onnx = dir.resolve("m.onnx");
        OnnxExporter.write(OnnxExporter.export(new TrainedModel(net, tokenizer, null, null,
                JsonNodeFactory.instance.objectNode())), onnx);
        return InferenceModel.open(onnx, 1);
    }
}
