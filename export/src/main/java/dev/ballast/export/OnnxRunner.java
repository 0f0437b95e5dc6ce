package dev.ballast.export;

import dev.ballast.engine.io.CheckpointException;

import java.nio.LongBuffer;
import java.nio.file.Path;

/**
 * An exported language model opened in ONNX Runtime: runs windows of tokens with the state passed in and
 * handed back, exactly as the graph's signature says. The file alone is enough: its metadata rebuilds the
 * configuration and the tokenizer. Holds a native session, so close it (the tensors of each call are
 * closed before {@link #run} returns). Safe to call from several threads at once.
 *
 * <pre>{@code
 * try (OnnxRunner r = OnnxRunner.open(Path.of("model.onnx"), 1)) {
 *     float[] h = new float[layers * hidden], c = new float[layers * hidden];
 *     float[] logProbs = new float[steps * vocab];
 *     r.run(tokens, steps, 1, h, c, logProbs); // h, c now hold the state after the window
 * }
 * }</pre>
 */
public final class OnnxRunner implements AutoCloseable {

    private final RecurrentSession session;
    private final OnnxMetadata.Contents contents;

    private OnnxRunner(RecurrentSession session, OnnxMetadata.Contents contents) {
        this.session = session;
        this.contents = contents;
    }

    /**
     * Opens an exported file.
     *
     * @param threads ONNX Runtime intra-op threads, 0 = its default
     * @throws CheckpointException (one line naming the file) when it is missing, not ONNX, truncated, or
     *                             not exported by Ballast
     */
    public static OnnxRunner open(Path file, int threads) {
        return open(RecurrentSession.readBytes(file), file.toString(), threads);
    }

    /** Opens an exported model from its bytes; {@code source} names it in error messages. */
    public static OnnxRunner open(byte[] bytes, String source, int threads) {
        return RecurrentSession.open(bytes, source, threads, metadata -> OnnxMetadata.read(metadata, source),
                OnnxRunner::new);
    }

    /** The configuration, tokenizer and raw metadata the file carries. */
    public OnnxMetadata.Contents contents() {
        return contents;
    }

    public String source() {
        return session.source();
    }

    // tokens: (S, B) time-major; h, c: (L, B, H), c null for an RNN; logProbs: (S, B, V)
    /**
     * Runs one window. {@code h} and {@code c} hold the initial state and are overwritten with the final
     * state; {@code logProbs} receives the log-probabilities of the next token after each input token.
     */
    public void run(long[] tokens, int steps, int batch, float[] h, float[] c, float[] logProbs) {
        session.run(new RecurrentSession.Input(OnnxExporter.TOKENS, LongBuffer.wrap(tokens), steps, batch), h, c,
                new RecurrentSession.Output(OnnxExporter.LOG_PROBS, logProbs, contents.config().vocabSize()));
    }

    @Override
    public void close() {
        session.close();
    }
}
