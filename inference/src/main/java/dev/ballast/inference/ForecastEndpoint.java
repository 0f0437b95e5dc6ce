package dev.ballast.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/forecast} of {@link InferenceServer}: {@code {"history": [numbers], "horizon": H,
 * "covariates": {"name": [numbers]}}} → {@code {"forecast": [...], "lower": [...], "upper": [...], "level"}}
 * (the interval only when the model was saved with one). {@code horizon} defaults to the model's;
 * {@code covariates} is only accepted when the model reads covariates and must then give each one for the
 * history and the horizon. The history may hold at most {@code max_input_tokens} values and the horizon
 * at most {@code max_new_tokens} steps ({@link ServerLimits}); a history shorter than the model's lookback
 * (plus difference lag) is a 400 naming the minimum.
 */
final class ForecastEndpoint {

    static final Set<String> FIELDS = Set.of("history", "horizon", "covariates");

    private ForecastEndpoint() {
    }

    static ObjectNode handle(ForecastModel model, RequestBody body, ServerLimits limits) {
        if (!body.has("history")) {
            throw new RequestException(400, "missing field 'history' (an array of at least " + model.minHistory() + " numbers)");
        }
        double[] history = body.numbers("history", limits.maxInputTokens());
        if (history.length < model.minHistory()) {
            throw RequestException.field("history", "has " + history.length + " values; this model needs at least "
                    + model.minHistory());
        }
        int horizon = body.integer("horizon", model.config().horizon());
        if (horizon < 1 || horizon > limits.maxNewTokens()) {
            throw RequestException.field("horizon", "must be in [1, " + limits.maxNewTokens() + "], got " + horizon);
        }
        double[][] covariates = covariates(model, body.object("covariates"), history.length + horizon, limits);
        return model.forecast(history, covariates, horizon).toJson();
    }

    private static double[][] covariates(ForecastModel model, JsonNode given, int length, ServerLimits limits) {
        List<String> names = model.covariates();
        if (names.isEmpty()) {
            if (given != null) {
                throw RequestException.field("covariates", "is not accepted: this model reads no covariates");
            }
            return new double[0][];
        }
        if (given == null) {
            throw new RequestException(400, "missing field 'covariates': this model needs " + String.join(", ", names)
                    + ", each with " + length + " values (history plus horizon)");
        }
        for (Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new RequestException(400, "unknown covariate '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                        + "' (this model reads " + String.join(", ", names) + ")");
            }
        }
        double[][] out = new double[names.size()][];
        for (int k = 0; k < out.length; k++) {
            String name = names.get(k);
            if (!given.has(name)) {
                throw new RequestException(400, "missing covariate '" + name + "' in field 'covariates'");
            }
            out[k] = RequestBody.numbers("covariates." + name, given.get(name), limits.maxInputTokens() + limits.maxNewTokens());
            if (out[k].length != length) {
                throw new RequestException(400, "covariate '" + name + "' needs " + length
                        + " values (history plus horizon), got " + out[k].length);
            }
        }
        return out;
    }
}
