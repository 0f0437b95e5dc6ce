package dev.ballast.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.NetworkShape;
import dev.ballast.forecast.PredictionIntervals;
import dev.ballast.lm.ModelFiles;

import java.nio.FloatBuffer;
import java.nio.file.Path;
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

    /** What a forecaster file's metadata says. */
    private record Contents(Forecaster forecaster, PredictionIntervals intervals, Map<String, String> metadata) {
    }

    private final RecurrentSession session;
    private final Contents contents;

    private ForecastOnnxRunner(RecurrentSession session, Contents contents) {
        this.session = session;
        this.contents = contents;
    }

    /**
     * @param threads ONNX Runtime intra-op threads, 0 = its default
     * @throws CheckpointException one line naming the file when it is missing, not ONNX, or not a Ballast forecaster
     */
    public static ForecastOnnxRunner open(Path file, int threads) {
        String source = file.toString();
        return RecurrentSession.open(RecurrentSession.readBytes(file), source, threads,
                metadata -> read(metadata, source), ForecastOnnxRunner::new);
    }

    private static Contents read(Map<String, String> metadata, String source) {
        OnnxMetadata.requireFormat(metadata, source, ForecastOnnxExporter.FORMAT_NAME, ForecastOnnxExporter.VERSION,
                "is not a forecaster exported by Ballast");
        String text = metadata.get(ForecastOnnxExporter.FORECASTER);
        if (text == null) {
            throw new CheckpointException(source + " has no metadata " + ForecastOnnxExporter.FORECASTER);
        }
        String where = source + " metadata " + ForecastOnnxExporter.FORECASTER;
        JsonNode document;
        try {
            document = ModelFiles.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(where + " is not valid JSON");
        }
        return new Contents(ForecasterFiles.fromJson(document, where), ForecasterFiles.intervals(document, where),
                Map.copyOf(metadata));
    }

    /** Whether {@code file} is an ONNX model whose metadata says it is a Ballast forecaster. */
    public static boolean isForecaster(Path file) {
        try {
            return ForecastOnnxExporter.FORMAT_NAME.equals(RecurrentSession.metadata(file).get(OnnxMetadata.FORMAT));
        } catch (CheckpointException e) {
            return false;
        }
    }

    /**
     * The config, encoding and covariate names the file carries, as a {@link Forecaster} whose own network
     * is NOT the exported one (its weights are unset): forecast with this runner as the network.
     */
    public Forecaster forecaster() {
        return contents.forecaster();
    }

    /** The prediction intervals saved with the model, or null. */
    public PredictionIntervals intervals() {
        return contents.intervals();
    }

    public Map<String, String> metadata() {
        return contents.metadata();
    }

    public String source() {
        return session.source();
    }

    // x: (T, B, F); h, c: (L, B, H), c null for an RNN; y: (T, B, O)
    /** Runs the graph once; {@code h}/{@code c} are the initial states and receive the final ones. */
    public void run(float[] x, int steps, int batch, float[] h, float[] c, float[] y) {
        NetworkShape shape = contents.forecaster().network().shape();
        session.run(new RecurrentSession.Input(ForecastOnnxExporter.X, FloatBuffer.wrap(x), steps, batch, shape.features()),
                h, c, new RecurrentSession.Output(ForecastOnnxExporter.Y, y, shape.outputs()));
    }

    // x: (T, B, F) -> (T*B, O) when every step is read, else (B, O) from the last step
    /** One batch of windows from a zero state, in {@code ForecastNetwork}'s output layout. */
    @Override
    public float[] forward(float[] x, int steps, int batch) {
        NetworkShape shape = contents.forecaster().network().shape();
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
        session.close();
    }
}
