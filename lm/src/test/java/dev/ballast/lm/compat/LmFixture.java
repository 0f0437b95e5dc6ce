package dev.ballast.lm.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.Rng;
import dev.ballast.engine.io.Json;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.lm.TrainedModel;
import dev.ballast.lm.TrainingConfig;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import dev.ballast.training.model.Provenance;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny language model behind the {@code fixtures/lm-*} test resources: a one-layer LSTM with 4 hidden
 * units over the characters of {@link #TEXT}, seeded weights with non-zero biases, and the probe whose
 * logits each fixture records ({@code expected.json} next to the model directory's files).
 */
public final class LmFixture {

    public static final String TEXT = "hello world, hello fixtures.\n";
    public static final String PROBE = "hello fix";

    private LmFixture() {
    }

    public static TrainedModel create() {
        Tokenizer tokenizer = CharTokenizer.fit(TEXT, UnknownPolicy.REPLACE);
        ModelConfig cfg = new ModelConfig(CellType.LSTM, tokenizer.vocabulary().size(), 3, 4, 1, 0f);
        LanguageModel net = new LanguageModel(cfg, KernelProvider.scalar());
        net.initialize(new Rng(2024));
        Rng r = new Rng(2025);
        for (var layer : net.layers()) { // non-zero biases, so a wrong gate order cannot hide
            float[] b = layer.bias().value();
            for (int i = 0; i < b.length; i++) {
                b[i] += (float) (0.5 * r.nextGaussian());
            }
        }
        TrainingConfig training = TrainingConfig.builder().corpus("tiny.txt").layers(1).hidden(4).embed(3)
                .seed(2024).build();
        Provenance provenance = Provenance.here("scalar", "tiny.txt",
                "0000000000000000000000000000000000000000000000000000000000000000", 25, 4);
        ObjectNode metrics = JsonNodeFactory.instance.objectNode();
        metrics.put("step", 0);
        metrics.put("val_loss", 2.5);
        return new TrainedModel(net, tokenizer, training, provenance, metrics);
    }

    /** The raw logits (steps, V) of {@link #PROBE} from a zero state, batch 1. */
    public static float[] logits(TrainedModel m) {
        int[] x = m.tokenizer().encode(PROBE);
        float[] out = new float[x.length * m.network().config().vocabSize()];
        m.network().logits(x, x.length, 1, m.network().config().newState(1), out);
        return out;
    }

    public static String expectedJson(TrainedModel m) throws IOException {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("probe", PROBE);
        ArrayNode a = n.putArray("logits");
        for (float f : logits(m)) {
            a.add(f);
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    }

    public static float[] expectedLogits(Path fixture) throws IOException {
        JsonNode n = Json.MAPPER.readTree(Files.readString(fixture.resolve("expected.json")));
        float[] f = new float[n.get("logits").size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = n.get("logits").get(i).floatValue();
        }
        return f;
    }

    /** A test resource directory as a path (the resources are plain files under target/test-classes). */
    public static Path resource(String name) {
        try {
            return Path.of(LmFixture.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }
}
