package dev.ballast.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.forecast.ForecastNetwork;
import dev.ballast.forecast.Forecaster;
import dev.ballast.forecast.ForecasterFiles;

import java.nio.file.Path;

/**
 * Turns a saved {@link Forecaster} into an ONNX model (opset {@value OnnxOps#OPSET}, IR version
 * {@value OnnxExporter#IR_VERSION}), with the graph every Ballast model shares ({@link RecurrentGraph}:
 * standard {@code LSTM} / {@code RNN} nodes, {@code layout} 0, no {@code sequence_lens}, dynamic sequence
 * and batch axes) and the forecaster's ends ({@link ExportedForecaster}).
 *
 * <p>The graph, for L layers of H units over F input features and O outputs per step:
 * <pre>
 *   x       float (S, B, F)   the ENCODED input rows (see below)    h0, c0 float (L, B, H) [c0: LSTM only]
 *   layer l : LSTM / RNN, then Squeeze axis 1                       (S, B, H)
 *   y       = MatMul(top, head_weight (H, O)) + head_bias          (S, B, O)
 *   hn, cn  = Concat over layers of Y_h, Y_c                        (L, B, H)
 * </pre>
 * The head is applied at every step. For a recursive forecaster (O = 1) y[t] is the scaled value of step
 * t+1; for a direct one (O = H) only the last step's row is the forecast, which is what Ballast's
 * {@link ForecastNetwork} emits. Ballast runs each forecasting window from a zero state, so pass zeros as
 * h0/c0 to reproduce its forecasts.
 *
 * <p>The graph does NOT apply the series encoding: the caller builds each input row
 * {@code [s_t, scaled covariates..., sin(2 pi t/m), cos(2 pi t/m)]} with
 * {@code s_t = scaler((log?) y_t - (log?) y_{t-lag})} and inverts the same steps on y, exactly as
 * {@code SeriesEncoding} does; every parameter needed for that is in the metadata.
 *
 * <table>
 * <caption>metadata_props</caption>
 * <tr><td>{@code ballast.format}</td><td>{@value #FORMAT_NAME}</td></tr>
 * <tr><td>{@code ballast.format_version}</td><td>{@code 1}</td></tr>
 * <tr><td>{@value #FORECASTER}</td><td>JSON: the whole {@code forecaster.json} document the model was saved
 *     with (format ballast-forecaster 1: config, encoding, covariates, intervals, metrics, provenance, its
 *     source named by file name only); this is what Ballast reads back</td></tr>
 * <tr><td>{@value #CONFIG}</td><td>JSON: the forecaster config (lookback, horizon, season, cell, strategy, ...)</td></tr>
 * <tr><td>{@value #ENCODING}</td><td>JSON: transform, difference lag, target scaler {kind, shift, scale},
 *     covariate scalers, season, phase_features, covariate names, min_history, and the row layout</td></tr>
 * <tr><td>{@code ballast.model}</td><td>JSON network shape: cell, features, hidden, layers, outputs, every_step</td></tr>
 * <tr><td>{@code ballast.metrics}</td><td>JSON metrics the model was saved with</td></tr>
 * <tr><td>{@code ballast.provenance}</td><td>JSON: the training provenance plus an {@code export} block
 *     (see {@link ExportProvenance})</td></tr>
 * <tr><td>{@code ballast.signature}</td><td>JSON: names, types and shapes of the inputs and outputs</td></tr>
 * </table>
 *
 * <pre>{@code
 * OnnxExporter.write(ForecastOnnxExporter.export(Path.of("runs/forecast")), Path.of("forecaster.onnx"));
 * }</pre>
 */
public final class ForecastOnnxExporter {

    public static final String FORMAT_NAME = "ballast-onnx-forecaster";
    public static final int VERSION = 1;
    public static final String FORECASTER = "ballast.forecaster";
    public static final String CONFIG = "ballast.forecaster_config";
    public static final String ENCODING = "ballast.encoding";
    public static final String X = "x";
    public static final String Y = "y";

    private ForecastOnnxExporter() {
    }

    /** Loads the forecaster saved in {@code dir} and exports it. */
    public static OnnxMl.ModelProto export(Path dir) {
        return export(ForecasterFiles.load(dir), ForecasterFiles.readJson(dir));
    }

    /**
     * The ONNX model of {@code f}.
     *
     * @param document the {@code forecaster.json} document {@code f} was saved with (its config and
     *                 encoding must be {@code f}'s); it goes into the metadata whole
     */
    public static OnnxMl.ModelProto export(Forecaster f, JsonNode document) {
        return RecurrentGraph.export(new ExportedForecaster(f, document));
    }
}
