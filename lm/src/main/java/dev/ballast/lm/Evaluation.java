package dev.ballast.lm;

import dev.ballast.training.Validation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Mean cross-entropy over a token stream, in the three units people quote.
 *
 * @param loss   mean negative log-likelihood, nats per token
 * @param tokens how many predictions were scored
 */
public record Evaluation(double loss, long tokens) implements Validation {

    private static final double LN2 = Math.log(2.0);

    public double perplexity() {
        return Math.exp(loss);
    }

    public double bitsPerToken() {
        return loss / LN2;
    }

    /** loss, perplexity, bits_per_token, tokens. */
    @Override
    public Map<String, Number> metrics() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("perplexity", perplexity());
        m.put("bits_per_token", bitsPerToken());
        m.put("tokens", tokens);
        return m;
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "loss %.4f nats/token, perplexity %.3f, %.4f bits/token",
                loss, perplexity(), bitsPerToken());
    }
}
