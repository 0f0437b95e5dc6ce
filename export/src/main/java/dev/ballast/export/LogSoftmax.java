package dev.ballast.export;

/**
 * Row-wise log-softmax, {@code log p_i = x_i - max - log(sum_j exp(x_j - max))}, accumulated in double.
 * Ballast's engine produces logits; the exported graph ends with ONNX {@code LogSoftmax}; this is how the
 * engine's side is made comparable.
 */
public final class LogSoftmax {

    private LogSoftmax() {
    }

    // logits: (rows, V) -> out: (rows, V); out may be logits itself
    public static void apply(float[] logits, int rows, int vocab, float[] out) {
        for (int r = 0; r < rows; r++) {
            int off = r * vocab;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < vocab; i++) {
                max = Math.max(max, logits[off + i]);
            }
            double sum = 0;
            for (int i = 0; i < vocab; i++) {
                sum += Math.exp(logits[off + i] - max);
            }
            double norm = max + Math.log(sum);
            for (int i = 0; i < vocab; i++) {
                out[off + i] = (float) (logits[off + i] - norm);
            }
        }
    }
}
