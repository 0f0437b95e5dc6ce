package dev.ballast.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballast.engine.io.Json;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.export.ForecastOnnxExporter;
import dev.ballast.export.OnnxExporter;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.engine.Rng;
import dev.ballast.forecast.ForecastConfig;
import dev.ballast.engine.InputException;
import dev.ballast.forecast.ForecastPipeline;
import dev.ballast.forecast.ForecastReport;
import dev.ballast.forecast.ForecasterFiles;
import dev.ballast.forecast.PredictionIntervals;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.TrainedModel;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forecasting through the inference module: both back-ends agree, and POST /v1/forecast over loopback. */
class ForecastServerTest {

    static final ObjectMapper JSON = Json.MAPPER;
    @TempDir
    static Path tmp;
    static double[] y;
    static ForecastReport report;
    static Path dir;
    static Path onnx;
    static ForecastModel engine;
    static ForecastModel exported;
    static InferenceServer server;
    static HttpClient client = HttpClient.newHttpClient();

    record Reply(int status, JsonNode body) {
    }

    // 10 years of a monthly series (level 10, seasonal amplitude 3, N(0, 0.2^2) noise); a 60-step training
    // run is plenty for the tests, which check agreement and the HTTP contract, not accuracy.
    @BeforeAll
    static void trainExportServe() throws Exception {
        Rng rng = new Rng(11);
        y = new double[120];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 12) + 0.2 * rng.nextGaussian();
        }
        ForecastConfig c = ForecastConfig.builder().horizon(6).season(12).lookback(12).difference(1).hidden(8)
                .steps(60).batch(16).evalEvery(20).seed(5).build();
        report = ForecastPipeline.run(TimeSeries.of("synthetic", "y", y), c, 0);
        dir = tmp.resolve("forecaster");
        ForecasterFiles.save(dir, report.forecaster(), Map.of(), "synthetic",
                PredictionIntervals.fromResiduals(report.training().residuals(), c.interval()));
        onnx = tmp.resolve("forecaster.onnx");
        OnnxExporter.write(ForecastOnnxExporter.export(dir), onnx);
        engine = ForecastModel.open(dir, 1);
        exported = ForecastModel.open(onnx, 1);
        server = InferenceServer.start(exported, "127.0.0.1", 0, new ServerLimits(4096, 200, 24, 4));
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
        exported.close();
    }

    static Reply call(InferenceServer s, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        b = method.equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static String historyJson(int n) {
        return Arrays.toString(Arrays.copyOf(y, n));
    }

    @Test
    void engineAndOnnxGiveTheForecastOfTheTrainedForecaster() {
        double[] expected = report.forecaster().forecast(y, new double[0][], new int[] {y.length}, 9)[0];
        Forecast a = engine.forecast(y, null, 9);
        Forecast b = exported.forecast(y, null, 9);
        assertTrue(Arrays.equals(expected, a.forecast()), "the engine back-end is Forecaster itself");
        for (int i = 0; i < 9; i++) {
            assertEquals(expected[i], b.forecast()[i], 1e-3, "step " + i); // float32 engines, values ~10
            assertTrue(a.lower()[i] < a.forecast()[i] && a.forecast()[i] < a.upper()[i]);
            assertEquals(a.upper()[i] - a.forecast()[i], b.upper()[i] - b.forecast()[i], 1e-9, "same interval widths");
        }
        assertEquals(13, engine.minHistory()); // lookback 12 + difference lag 1
        assertTrue(ForecastModel.isForecaster(dir) && ForecastModel.isForecaster(onnx));
    }

    @Test
    void tooShortHistoryIsAnErrorNamingTheMinimum() {
        InputException e = assertThrows(InputException.class, () -> engine.forecast(Arrays.copyOf(y, 12), null, 3));
        assertTrue(e.getMessage().contains("at least 13"), e.getMessage());
        assertThrows(InputException.class, () -> engine.forecast(y, new double[][] {new double[126]}, 6));
    }

    @Test
    void servesForecastWithIntervals() throws Exception {
        Reply r = call(server, "POST", "/v1/forecast", "{\"history\": " + historyJson(120) + ", \"horizon\": 5}");
        assertEquals(200, r.status(), r.body().toString());
        Forecast expected = exported.forecast(y, null, 5);
        assertEquals(5, r.body().get("forecast").size());
        for (int i = 0; i < 5; i++) {
            assertEquals(expected.forecast()[i], r.body().get("forecast").get(i).asDouble(), 1e-12);
            assertEquals(expected.lower()[i], r.body().get("lower").get(i).asDouble(), 1e-12);
            assertEquals(expected.upper()[i], r.body().get("upper").get(i).asDouble(), 1e-12);
        }
        assertEquals(0.9, r.body().get("level").asDouble(), 1e-12);
        Reply defaults = call(server, "POST", "/v1/forecast", "{\"history\": " + historyJson(40) + "}");
        assertEquals(6, defaults.body().get("forecast").size(), "horizon defaults to the model's");
    }

    @Test
    void modelInfoAndHealthDescribeTheForecaster() throws Exception {
        Reply info = call(server, "GET", "/v1/model", null);
        assertEquals(200, info.status());
        assertEquals("forecaster", info.body().get("kind").asText());
        assertEquals("onnxruntime", info.body().get("backend").asText());
        assertEquals(13, info.body().get("min_history").asInt());
        assertTrue(info.body().get("intervals").asBoolean());
        assertEquals("ok", call(server, "GET", "/health", null).body().get("status").asText());
    }

    @Test
    void everyBadForecastRequestIsA4xxJsonErrorAndTheServerCarriesOn() throws Exception {
        String[][] cases = {
                {"400", "{\"history\": " + historyJson(12) + "}", "at least 13"},
                {"400", "{\"horizon\": 3}", "missing field 'history'"},
                {"400", "{\"history\": \"1,2,3\"}", "array of numbers"},
                {"400", "{\"history\": [1, 2, \"x\"]}", "finite numbers"},
                {"400", "{\"history\": " + historyJson(20) + ", \"horizon\": 0}", "'horizon' must be in [1, 24]"},
                {"400", "{\"history\": " + historyJson(20) + ", \"horizon\": 25}", "'horizon' must be in [1, 24]"},
                {"400", "{\"history\": " + historyJson(20) + ", \"horizon\": 2.5}", "'horizon' must be an integer"},
                {"400", "{\"history\": " + historyJson(20) + ", \"covariates\": {\"temp\": [1]}}", "reads no covariates"},
                {"400", "{\"history\": " + historyJson(20) + ", \"prompt\": \"x\"}", "unknown field 'prompt'"},
                {"400", "{\"history\": [1, 2,", "malformed JSON"},
                {"400", "[1, 2, 3]", "JSON object"},
                {"400", "{\"history\": " + Arrays.toString(new double[201]) + "}", "at most 200"},
                {"413", "{\"history\": " + Arrays.toString(new double[1000]) + "}", "larger than 4096 bytes"},
        };
        for (String[] c : cases) {
            Reply r = call(server, "POST", "/v1/forecast", c[1]);
            assertEquals(Integer.parseInt(c[0]), r.status(), c[1] + " -> " + r.body());
            assertTrue(r.body().get("error").asText().contains(c[2]), c[1] + " -> " + r.body());
        }
        Reply generate = call(server, "POST", "/v1/generate", "{\"prompt\": \"a\"}");
        assertEquals(404, generate.status());
        assertTrue(generate.body().get("error").asText().contains("serves a forecaster"), generate.body().toString());
        assertEquals(404, call(server, "POST", "/v1/score", "{\"text\": \"a\"}").status());
        assertEquals(405, call(server, "GET", "/v1/forecast", null).status());
        assertEquals(200, call(server, "POST", "/v1/forecast", "{\"history\": " + historyJson(30) + "}").status(),
                "still serving after the bad requests");
    }

    @Test
    void languageModelServerRejectsForecastWithAJsonError() throws Exception {
        CharTokenizer tokenizer = CharTokenizer.fit("abc de\n", UnknownPolicy.ERROR);
        LanguageModel net = new LanguageModel(new ModelConfig(CellType.RNN_TANH, tokenizer.vocabulary().size(), 4, 6, 1, 0f),
                KernelProvider.scalar());
        net.initialize(new Rng(2));
        Path lm = tmp.resolve("lm.onnx");
        OnnxExporter.write(OnnxExporter.export(new TrainedModel(net, tokenizer, null, null,
                JsonNodeFactory.instance.objectNode())), lm);
        assertFalse(ForecastModel.isForecaster(lm));
        try (InferenceModel m = InferenceModel.open(lm, 1);
             InferenceServer s = InferenceServer.start(m, "127.0.0.1", 0, ServerLimits.DEFAULT)) {
            Reply r = call(s, "POST", "/v1/forecast", "{\"history\": [1, 2, 3]}");
            assertEquals(404, r.status());
            assertTrue(r.body().get("error").asText().contains("serves a language model"), r.body().toString());
            assertEquals(200, call(s, "POST", "/v1/score", "{\"text\": \"abc\"}").status());
        }
    }
}
