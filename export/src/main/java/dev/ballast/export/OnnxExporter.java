package dev.ballast.export;

import ai.onnx.proto.OnnxMl;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.lm.TrainedModel;

import java.nio.file.Path;

/**
 * Turns a trained language model into an ONNX model (opset {@value OnnxOps#OPSET}, IR version
 * {@value #IR_VERSION}) and writes ONNX files of either kind.
 *
 * <p>The graph, for L layers of hidden size H over a vocabulary of V symbols (see {@link RecurrentGraph}
 * for the part every Ballast model shares and {@link ExportedLanguageModel} for the language model's ends):
 * <pre>
 *   tokens  int64 (S, B)       h0 float (L, B, H)      c0 float (L, B, H)   [LSTM only]
 *   x       = Gather(embedding (V, E), tokens)                              (S, B, E)
 *   layer l : LSTM / RNN(x, W (1, G*H, I), R (1, G*H, H), B (1, 2*G*H), h0[l], c0[l])
 *             x = Squeeze(Y, axis 1)                                       (S, B, H)
 *   log_probs = LogSoftmax(MatMul(x, W_out (H, V)) + b_out)                 (S, B, V)
 *   hn, cn  = Concat over layers of Y_h, Y_c                                (L, B, H)
 * </pre>
 * S and B are dynamic, so one file serves whole-sequence scoring and step-by-step generation with the
 * state passed back in by the caller. The metadata is described in {@link OnnxMetadata}.
 *
 * <pre>{@code
 * TrainedModel m = ModelFiles.load(dir, KernelProvider.scalar());
 * OnnxExporter.write(OnnxExporter.export(m), Path.of("model.onnx"));
 * }</pre>
 */
public final class OnnxExporter {

    /** IR version 8 goes with opset 17. */
    public static final int IR_VERSION = 8;
    public static final String TOKENS = "tokens";
    public static final String LOG_PROBS = "log_probs";

    private OnnxExporter() {
    }

    /** The ONNX model of {@code model}, its metadata included (see {@link OnnxMetadata}). */
    public static OnnxMl.ModelProto export(TrainedModel model) {
        return RecurrentGraph.export(new ExportedLanguageModel(model));
    }

    /** Writes the model atomically (a failed write leaves any old file untouched). */
    public static void write(OnnxMl.ModelProto model, Path out) {
        AtomicFiles.write(out, model::writeTo);
    }
}
