package dev.ballast.export;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.Json;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An exported Ballast model of either kind opened in ONNX Runtime ({@link RecurrentGraph}'s graph): one
 * call feeds the first input and the initial states and copies back the first output and the final states.
 * The state's shape (layers, hidden, whether there is a cell state) is read from the graph's {@code h0}
 * and {@code c0} inputs. Native errors become one-line errors naming the file: a
 * {@link CheckpointException} for a file that cannot be opened, an {@link IllegalStateException} for a
 * failed run. The tensors of a call are closed before it returns. Holds a native session, so close it;
 * safe to call from several threads at once (ONNX Runtime sessions are, and each call owns its tensors).
 */
final class RecurrentSession implements AutoCloseable {

    /** The graph's first input: its name, its values (a {@link LongBuffer} or {@link FloatBuffer}) and shape (S, B, ...). */
    record Input(String name, Buffer values, long... shape) {
    }

    /** Where the graph's first output goes: its name, the array, and its last dimension (S, B, width). */
    record Output(String name, float[] values, int width) {
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String source;
    private final int layers;
    private final int hidden;
    private final boolean cellState;

    private RecurrentSession(OrtEnvironment env, OrtSession session, String source) throws OrtException {
        this.env = env;
        this.session = session;
        this.source = source;
        NodeInfo h0 = session.getInputInfo().get(RecurrentGraph.H0);
        if (h0 == null || !(h0.getInfo() instanceof TensorInfo state) || state.getShape().length != 3) {
            throw new CheckpointException(source + " has no state input " + RecurrentGraph.H0 + " (layers, batch, hidden)");
        }
        this.layers = (int) state.getShape()[0];
        this.hidden = (int) state.getShape()[2];
        this.cellState = session.getInputNames().contains(RecurrentGraph.C0);
    }

    /**
     * Opens an exported file: {@code metadata} reads what the kind needs from its metadata_props (and
     * throws a {@link CheckpointException} when the file is another kind), {@code runner} wraps the session
     * and what was read. The session is closed when either fails.
     *
     * @param threads ONNX Runtime intra-op threads, 0 = its default
     * @throws CheckpointException (one line naming {@code source}) when the bytes are not a readable ONNX
     *                             model or their metadata does not fit
     */
    static <T, R> R open(byte[] bytes, String source, int threads, Function<Map<String, String>, T> metadata,
                         BiFunction<RecurrentSession, T, R> runner) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = createSession(env, bytes, source, threads);
        try {
            T contents = metadata.apply(session.getMetadata().getCustomMetadata());
            return runner.apply(new RecurrentSession(env, session, source), contents);
        } catch (OrtException | RuntimeException e) {
            closeAfterFailure(session);
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(source + ": cannot read the model metadata: " + Json.firstLine(e.getMessage()));
        }
    }

    /** The metadata_props of {@code file}, read without keeping a session. */
    static Map<String, String> metadata(Path file) {
        OrtSession session = createSession(OrtEnvironment.getEnvironment(), readBytes(file), file.toString(), 1);
        try (session) {
            return Map.copyOf(session.getMetadata().getCustomMetadata());
        } catch (OrtException e) {
            throw new CheckpointException(file + ": cannot read the model metadata: " + Json.firstLine(e.getMessage()));
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
            throw new CheckpointException("cannot read " + file + ": " + dev.ballast.engine.io.FileErrors.describe(e));
        }
    }

    private static OrtSession createSession(OrtEnvironment env, byte[] bytes, String source, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new CheckpointException(source + " is not a readable ONNX model (truncated or another format?): "
                    + Json.firstLine(e.getMessage()));
        }
    }

    private static void closeAfterFailure(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the error that made us close it is the one worth reporting
        }
    }

    /** Names the file in error messages. */
    String source() {
        return source;
    }

    // input: (S, B, ...); h, c: (L, B, H), c unused (may be null) without a cell state; output: (S, B, width)
    /**
     * Runs the graph once. {@code h} and {@code c} hold the initial states and are overwritten with the
     * final ones.
     *
     * @throws IllegalArgumentException when a buffer is smaller than the shapes say
     * @throws IllegalStateException    (one line naming the file) when ONNX Runtime fails
     */
    void run(Input input, float[] h, float[] c, Output output) {
        long[] shape = input.shape();
        int steps = (int) shape[0];
        int batch = (int) shape[1];
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        int stateSize = layers * batch * hidden;
        int outputSize = steps * batch * output.width();
        if (steps < 1 || batch < 1 || input.values().remaining() < size || h.length < stateSize
                || (cellState && (c == null || c.length < stateSize)) || output.values().length < outputSize) {
            throw new IllegalArgumentException("buffers do not fit steps " + steps + ", batch " + batch);
        }
        long[] stateShape = {layers, batch, hidden};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(input.name(), tensor(input.values().slice().limit((int) size), shape));
            inputs.put(RecurrentGraph.H0, OnnxTensor.createTensor(env, FloatBuffer.wrap(h, 0, stateSize), stateShape));
            if (cellState) {
                inputs.put(RecurrentGraph.C0, OnnxTensor.createTensor(env, FloatBuffer.wrap(c, 0, stateSize), stateShape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                copy(result, output.name(), output.values(), outputSize);
                copy(result, RecurrentGraph.HN, h, stateSize);
                if (cellState) {
                    copy(result, RecurrentGraph.CN, c, stateSize);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": ONNX Runtime failed: " + Json.firstLine(e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(Buffer values, long[] shape) throws OrtException {
        if (values instanceof LongBuffer ids) {
            return OnnxTensor.createTensor(env, ids, shape);
        }
        return OnnxTensor.createTensor(env, (FloatBuffer) values, shape);
    }

    private void copy(OrtSession.Result result, String name, float[] into, int n) {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException(source + " has no output " + name));
        FloatBuffer fb = ((OnnxTensor) value).getFloatBuffer();
        if (fb.remaining() != n) {
            throw new IllegalStateException(source + ": output " + name + " has " + fb.remaining() + " values, expected " + n);
        }
        fb.get(into, 0, n);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed: " + Json.firstLine(e.getMessage()), e);
        }
    }
}
