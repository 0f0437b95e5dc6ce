package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * A sampled token with its log-probability under the model (natural log, temperature 1, before top-k or
 * top-p), and optionally the most likely alternatives at that position.
 *
 * @param top the {@code k} most likely tokens, most likely first (empty unless asked for)
 */
record TokenLogProb(int id, String text, float logProb, List<TokenLogProb> top) {

    /** The token {@code id} read off a row of log-probabilities, with the row's {@code k} best. */
    static TokenLogProb of(Tokenizer tokenizer, int id, float[] row, int off, int vocab, int k) {
        return new TokenLogProb(id, piece(tokenizer, id), row[off + id], top(tokenizer, row, off, vocab, k));
    }

    /** The {@code k} most likely entries of a row (all of them for k >= vocab), most likely first; ties by id. */
    static List<TokenLogProb> top(Tokenizer tokenizer, float[] row, int off, int vocab, int k) {
        int keep = Math.min(k, vocab);
        if (keep <= 0) {
            return List.of();
        }
        int[] best = new int[keep];
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            float v = row[off + i];
            if (n == keep && !(v > row[off + best[n - 1]])) {
                continue;
            }
            int at = n < keep ? n++ : n - 1;
            while (at > 0 && v > row[off + best[at - 1]]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        List<TokenLogProb> out = new ArrayList<>(keep);
        for (int i = 0; i < n; i++) {
            out.add(new TokenLogProb(best[i], piece(tokenizer, best[i]), row[off + best[i]], List.of()));
        }
        return out;
    }

    static String piece(Tokenizer tokenizer, int id) {
        return tokenizer.decode(new int[] {id}, 0, 1);
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("token", text);
        n.put("id", id);
        n.put("log_prob", logProb);
        if (!top.isEmpty()) {
            ArrayNode arr = n.putArray("top");
            for (TokenLogProb t : top) {
                arr.add(t.toJson());
            }
        }
        return n;
    }
}
