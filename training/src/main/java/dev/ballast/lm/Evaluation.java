package dev.ballast.lm;

/**
 * Mean cross-entropy over a token stream, in the three units people quote.
 *
 * @param loss   mean negative log-likelihood, nats per token
 * @param tokens how many predictions were scored
 */
public record Evaluation(double loss, long tokens) {

    private static final double LN2 = Math.log(2.0);

    public double perplexity() {
        return Math.exp(loss);
    }

    public double bitsPerToken() {
        return loss / LN2;
    }
}
