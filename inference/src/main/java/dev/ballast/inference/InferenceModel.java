package dev.ballast.inference;

import dev.ballast.engine.InputException;

import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.lm.ModelConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A trained language model ready to predict, whichever back-end runs it: Ballast's own engine on a model
 * directory ({@link EngineModel}) or ONNX Runtime on an exported {@code .onnx} file ({@link OnnxModel}).
 * Both compute the same function; {@link #forward} is the one primitive, and sessions, sampling and
 * scoring are built on it. Implementations are safe to share between threads. Close it when done: the
 * ONNX back-end holds native memory.
 *
 * <pre>{@code
 * try (InferenceModel model = InferenceModel.open(Path.of("model.onnx"), 0)) {
 *     Generation g = Generator.generate(model, GenerationRequest.of("ROMEO:", 200).withSeed(1), null);
 *     Score s = Scorer.score(model, "To be, or not to be");
 * }
 * }</pre>
 */
public interface InferenceModel extends AutoCloseable {

    /**
     * Opens {@code path}: a file (normally {@code *.onnx}) with ONNX Runtime, a directory (a run or a
     * checkpoint, resolved as {@code CheckpointStore.resolveModel} does) with Ballast's engine.
     *
     * @param threads compute threads, 0 = one per core (engine) or ONNX Runtime's default
     * @throws CheckpointException one line naming the file when it cannot be used
     */
    static InferenceModel open(Path given, int threads) {
        dev.ballast.engine.ResourceLimits.checkThreads("--threads", threads);
        Path path = dev.ballast.training.checkpoint.RunLink.follow(given); // runs/latest as a pointer file
        if (Files.isDirectory(path)) {
            return EngineModel.open(path, threads);
        }
        if (!Files.exists(path)) {
            throw new CheckpointException("no model at " + path + " (expected a run or checkpoint directory, or an .onnx file)");
        }
        return OnnxModel.open(path, threads);
    }

    /** What the model is and where it came from. */
    ModelInfo info();

    Tokenizer tokenizer();

    default ModelConfig config() {
        return info().config();
    }

    // tokens: (S, B) time-major; h, c: (L, B, H) with c null for an RNN; logProbs: (S, B, V)
    /**
     * Runs one window of {@code steps} tokens for {@code batch} streams. {@code h} and {@code c} hold the
     * state at the start and are overwritten with the state at the end; {@code logProbs} receives, for
     * each input token, the log-probabilities of the token after it.
     */
    void forward(int[] tokens, int steps, int batch, float[] h, float[] c, float[] logProbs);

    /** A new single-stream session starting from the zero state. */
    default InferenceSession newSession() {
        return new InferenceSession(this);
    }

    @Override
    void close();
}
