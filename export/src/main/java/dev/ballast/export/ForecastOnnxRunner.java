package dev.ballast.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.NetworkShape;
import dev.ballast.forecast.PredictionIntervals;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.lm.ModelFiles;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An exported forecaster ({@value ForecastOnnxExporter#FORMAT_NAME}) opened in ONNX Runtime. The file
 * alone is enough: its metadata rebuilds the config, the encoding and the intervals, and {@link #forward}
 * runs windows in the layout of Ballast's {@code ForecastNetwork}, so it plugs into
 * {@link Forecaster#forecast(double[], double[][], int[], int, Forecaster.Network)}. Holds a native
 * session; close it. Safe to call from several threads at once.
 *
 * <pre>{@code
 * try (ForecastOnnxRunner r = ForecastOnnxRunner.open(Path.of("forecaster.onnx"), 1)) {
 *     double[] next = r.forecaster().forecast(y, new double[0][], new int[] {y.length}, 12, r)[0];
 * }
 * }</pre>
 */
public final class ForecastOnnxRunner implements Forecaster.Network, AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Forecaster forecaster;
    private final PredictionIntervals intervals;
    private final Map<String, String> metadata;
    private final String source;

    private ForecastOnnxRunner(OrtEnvironment env, OrtSession session, Forecaster forecaster,
                               PredictionIntervals intervals, Map<String, String> metadata, String source) {
        this.env = env;
        this.session = session;
        this.forecaster = forecaster;
        this.intervals = intervals;
        this.metadata = metadata;
        this.source = source;
    }

    /**
     * @param threads ONNX Runtime intra-op threads, 0 = its default
     * @throws CheckpointException one line naming the file when it is missing, not ONNX, or not a Ballast forecaster
     */
    public static ForecastOnnxRunner open(Path file, int threads) {
        String source = file.toString();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = OnnxRunner.createSession(env, OnnxRunner.readBytes(file), source, threads);
        try {
            Map<String, String> metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
            String format = metadata.get(OnnxMetadata.FORMAT);
            if (!ForecastOnnxExporter.FORMAT_NAME.equals(format)) {
                throw new CheckpointException(source + " is not a forecaster exported by Ballast (metadata "
                        + OnnxMetadata.FORMAT + " is " + (format == null ? "missing" : "'" + format + "'") + ")");
            }
            if (!Integer.toString(ForecastOnnxExporter.VERSION).equals(metadata.get(OnnxMetadata.FORMAT_VERSION))) {
                throw new CheckpointException(source + " has " + OnnxMetadata.FORMAT_VERSION + " "
                        + metadata.get(OnnxMetadata.FORMAT_VERSION) + "; this Ballast reads version " + ForecastOnnxExporter.VERSION);
            }
            String text = metadata.get(ForecastOnnxExporter.FORECASTER);
            if (text == null) {
                throw new CheckpointException(source + " has no metadata " + ForecastOnnxExporter.FORECASTER);
            }
            JsonNode document = ModelFiles.JSON.readTree(text);
            String where = source + " metadata " + ForecastOnnxExporter.FORECASTER;
            Forecaster shell = ForecasterFiles.fromJson(document, where);
            return new ForecastOnnxRunner(env, session, shell, ForecasterFiles.intervals(document, where), metadata, source);
        } catch (OrtException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // the metadata error is the one worth reporting
            }
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(source + ": cannot read the forecaster metadata: " + OnnxRunner.firstLine(e.getMessage()));
        }
    }

    /** Whether {@code file} is an ONNX model whose metadata says it is a Ballast forecaster. */
    public static boolean isForecaster(Path file) {
        try {
            OrtSession session = OnnxRunner.createSession(OrtEnvironment.getEnvironment(), OnnxRunner.readBytes(file),
                    file.toString(), 1);
            try (session) {
                return ForecastOnnxExporter.FORMAT_NAME.equals(session.getMetadata().getCustomMetadata().get(OnnxMetadata.FORMAT));
            }
        } catch (CheckpointException | OrtException e) {
            return false;
        }
    }

    /**
     * The config, encoding and covariate names the file carries, as a {@link Forecaster} whose own network
     * is NOT the exported one (its weights are unset): forecast with this runner as the network.
     */
    public Forecaster forecaster() {
        return forecaster;
    }

    /** The prediction intervals saved with the model, or null. */
    public PredictionIntervals intervals() {
        return intervals;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public String source() {
        return source;
    }

    // x: (T, B, F); h, c: (L, B, H), c null for an RNN; y: (T, B, O)
    /** Runs the graph once; {@code h}/{@code c} are the initial states and receive the final ones. */
    public void run(float[] x, int steps, int batch, float[] h, float[] c, float[] y) {
        NetworkShape shape = forecaster.network().shape();
        boolean lstm = shape.cell().gates() == 4;
        int stateSize = shape.layers() * batch * shape.hidden();
        if (steps < 1 || batch < 1 || x.length < steps * batch * shape.features() || h.length < stateSize
                || (lstm && (c == null || c.length < stateSize)) || y.length < steps * batch * shape.outputs()) {
            throw new IllegalArgumentException("buffers do not fit steps " + steps + ", batch " + batch);
        }
        long[] stateShape = {shape.layers(), batch, shape.hidden()};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(ForecastOnnxExporter.X, OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, steps * batch * shape.features()),
                    new long[] {steps, batch, shape.features()}));
            inputs.put(RecurrentGraph.H0, OnnxTensor.createTensor(env, FloatBuffer.wrap(h, 0, stateSize), stateShape));
            if (lstm) {
                inputs.put(RecurrentGraph.C0, OnnxTensor.createTensor(env, FloatBuffer.wrap(c, 0, stateSize), stateShape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxRunner.copy(result, ForecastOnnxExporter.Y, y, steps * batch * shape.outputs());
                OnnxRunner.copy(result, RecurrentGraph.HN, h, stateSize);
                if (lstm) {
                    OnnxRunner.copy(result, RecurrentGraph.CN, c, stateSize);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": ONNX Runtime failed: " + OnnxRunner.firstLine(e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    // x: (T, B, F) -> (T*B, O) when every step is read, else (B, O) from the last step
    /** One batch of windows from a zero state, in {@code ForecastNetwork}'s output layout. */
    @Override
    public float[] forward(float[] x, int steps, int batch) {
        NetworkShape shape = forecaster.network().shape();
        int stateSize = shape.layers() * batch * shape.hidden();
        int o = shape.outputs();
        float[] y = new float[steps * batch * o];
        run(x, steps, batch, new float[stateSize], new float[stateSize], y);
        if (shape.everyStep()) {
            return y;
        }
        float[] last = new float[batch * o];
        System.arraycopy(y, (steps - 1) * batch * o, last, 0, batch * o);
        return last;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed: " + OnnxRunner.firstLine(e.getMessage()), e);
        }
    }
}
