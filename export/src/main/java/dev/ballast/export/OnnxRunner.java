package dev.ballast.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ballast.engine.io.CheckpointException;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An exported Ballast model opened in ONNX Runtime: runs windows of tokens with the state passed in and
 * handed back, exactly as the graph's signature says. Holds a native session, so close it (the tensors of
 * each call are closed before {@link #run} returns). Safe to call from several threads at once: ONNX
 * Runtime sessions are, and each call owns its tensors.
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

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxMetadata.Contents contents;
    private final String source;

    private OnnxRunner(OrtEnvironment env, OrtSession session, OnnxMetadata.Contents contents, String source) {
        this.env = env;
        this.session = session;
        this.contents = contents;
        this.source = source;
    }

    /**
     * Opens an exported file.
     *
     * @param threads ONNX Runtime intra-op threads, 0 = its default
     * @throws CheckpointException (one line naming the file) when it is missing, not ONNX, truncated, or
     *                             not exported by Ballast
     */
    public static OnnxRunner open(Path file, int threads) {
        return open(readBytes(file), file.toString(), threads);
    }

    /** Opens an exported model from its bytes; {@code source} names it in error messages. */
    public static OnnxRunner open(byte[] bytes, String source, int threads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = createSession(env, bytes, source, threads);
        try {
            OnnxMetadata.Contents contents = OnnxMetadata.read(session.getMetadata().getCustomMetadata(), source);
            return new OnnxRunner(env, session, contents, source);
        } catch (OrtException | RuntimeException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the metadata error is the one worth reporting
            }
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(source + ": cannot read the model metadata: " + firstLine(e.getMessage()));
        }
    }

    /** An ONNX Runtime session on {@code bytes}; a file ONNX Runtime cannot read is a one-line {@link CheckpointException}. */
    static OrtSession createSession(OrtEnvironment env, byte[] bytes, String source, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new CheckpointException(source + " is not a readable ONNX model (truncated or another format?): "
                    + firstLine(e.getMessage()));
        }
    }

    /** The bytes of {@code file}; missing or unreadable is a one-line {@link CheckpointException}. */
    static byte[] readBytes(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("missing file " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The configuration, tokenizer and raw metadata the file carries. */
    public OnnxMetadata.Contents contents() {
        return contents;
    }

    public String source() {
        return source;
    }

    // tokens: (S, B) time-major; h, c: (L, B, H), c null for an RNN; logProbs: (S, B, V)
    /**
     * Runs one window. {@code h} and {@code c} hold the initial state and are overwritten with the final
     * state; {@code logProbs} receives the log-probabilities of the next token after each input token.
     */
    public void run(long[] tokens, int steps, int batch, float[] h, float[] c, float[] logProbs) {
        int layers = contents.config().layers();
        int hidden = contents.config().hidden();
        int vocab = contents.config().vocabSize();
        boolean lstm = contents.config().cell().gates() == 4;
        int stateSize = layers * batch * hidden;
        if (steps < 1 || batch < 1 || tokens.length < steps * batch || h.length < stateSize
                || (lstm && (c == null || c.length < stateSize)) || logProbs.length < steps * batch * vocab) {
            throw new IllegalArgumentException("buffers do not fit steps " + steps + ", batch " + batch);
        }
        long[] stateShape = {layers, batch, hidden};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(OnnxExporter.TOKENS, OnnxTensor.createTensor(env, LongBuffer.wrap(tokens, 0, steps * batch), new long[] {steps, batch}));
            inputs.put(RecurrentGraph.H0, OnnxTensor.createTensor(env, FloatBuffer.wrap(h, 0, stateSize), stateShape));
            if (lstm) {
                inputs.put(RecurrentGraph.C0, OnnxTensor.createTensor(env, FloatBuffer.wrap(c, 0, stateSize), stateShape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                copy(result, OnnxExporter.LOG_PROBS, logProbs, steps * batch * vocab);
                copy(result, RecurrentGraph.HN, h, stateSize);
                if (lstm) {
                    copy(result, RecurrentGraph.CN, c, stateSize);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": ONNX Runtime failed: " + firstLine(e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    static void copy(OrtSession.Result result, String name, float[] into, int n) {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("the model has no output " + name));
        FloatBuffer fb = ((OnnxTensor) value).getFloatBuffer();
        if (fb.remaining() != n) {
            throw new IllegalStateException("output " + name + " has " + fb.remaining() + " values, expected " + n);
        }
        fb.get(into, 0, n);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed: " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
