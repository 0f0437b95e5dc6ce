package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * How likely a model finds a text.
 *
 * @param pieces   the scored tokens as text
 * @param inputs   the token ids fed to the model, in order (input t predicts target t)
 * @param targets  the token ids scored
 * @param logProbs natural-log probability of each scored token given everything before it
 * @param total    sum of {@code logProbs}
 */
public record Score(List<String> pieces, int[] inputs, int[] targets, double[] logProbs, double total) {

    public int tokens() {
        return logProbs.length;
    }

    /** Mean negative log-likelihood per token, in nats. */
    public double meanLoss() {
        return logProbs.length == 0 ? Double.NaN : -total / logProbs.length;
    }

    public double perplexity() {
        return Math.exp(meanLoss());
    }

    public double bitsPerToken() {
        return meanLoss() / Math.log(2);
    }

    /** {@code tokens, total_log_prob, mean_loss, perplexity, bits_per_token}, and per-token detail when asked. */
    public ObjectNode toJson(boolean perToken) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("tokens", tokens());
        n.put("total_log_prob", total);
        n.put("mean_loss", meanLoss());
        n.put("perplexity", perplexity());
        n.put("bits_per_token", bitsPerToken());
        if (perToken) {
            ArrayNode arr = n.putArray("per_token");
            for (int i = 0; i < logProbs.length; i++) {
                ObjectNode t = arr.addObject();
                t.put("token", pieces.get(i));
                t.put("log_prob", logProbs[i]);
            }
            ArrayNode in = n.putArray("input_ids");
            ArrayNode out = n.putArray("target_ids");
            for (int i = 0; i < inputs.length; i++) {
                in.add(inputs[i]);
                out.add(targets[i]);
            }
        }
        return n;
    }
}
