package dev.ballast.bench;

/**
 * The gemm shapes that dominate LSTM language-model training and generation (row-major,
 * C (m, n) = op(A) (m, k) op(B) (k, n)), with T*B = 2048, I = 256, H = 512, 4H = 2048, V = 10000.
 */
public enum GemmShape {
    /** Input projection for all time steps: X (T*B, I) x W (I, 4H). */
    INPUT_PROJECTION(false, false, 2048, 2048, 256, 0f),
    /** One recurrent step: h (B, H) x U (H, 4H), B = 50; latency-bound, done once per step. */
    RECURRENT_STEP(false, false, 50, 2048, 512, 0f),
    /** Backward through the step: dG (B, 4H) x U^T, U stored (H, 4H). */
    RECURRENT_STEP_BACKWARD(false, true, 50, 512, 2048, 0f),
    /** Input weight gradient: dW (I, 4H) += X^T (I, T*B) x dG (T*B, 4H). */
    INPUT_WEIGHT_GRADIENT(true, false, 256, 2048, 2048, 1f),
    /** Output layer: Hs (T*B, H) x Wout (H, V). */
    OUTPUT_LAYER(false, false, 2048, 10000, 512, 0f),
    /** Output backward: dLogits (T*B, V) x Wout^T, Wout stored (H, V). */
    OUTPUT_LAYER_BACKWARD(false, true, 2048, 512, 10000, 0f),
    /** Output weight gradient: dWout (H, V) += Hs^T (H, T*B) x dLogits (T*B, V). */
    OUTPUT_WEIGHT_GRADIENT(true, false, 512, 10000, 2048, 1f),
    /** Generation with batch 1: h (1, H) x U (H, 4H). */
    GENERATION_STEP(false, false, 1, 2048, 512, 0f),
    /** The bench's word model (400 tokens, H = 200, the reference's 7,596 words): output layer forward. */
    WORD_OUTPUT(false, false, 400, 7596, 200, 0f),
    /** Its dX = dLogits W^T: split by rows, op(B) packed once for both threads. */
    WORD_OUTPUT_BACKWARD(false, true, 400, 200, 7596, 0f),
    /** Its dW += Hs^T dLogits. */
    WORD_OUTPUT_WEIGHT_GRADIENT(true, false, 200, 7596, 400, 1f),
    /** Its recurrent step backward, (20, 4H) x U^T with 200 columns: split at whole vectors. */
    WORD_RECURRENT_STEP_BACKWARD(false, true, 20, 200, 800, 1f);

    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final float beta;

    GemmShape(boolean transA, boolean transB, int m, int n, int k, float beta) {
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.beta = beta;
    }

    /** Floating-point operations of one multiply (a multiply-add counts as 2). */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /** "NN", "NT", "TN" or "TT". */
    public String transposes() {
        return (transA ? "T" : "N") + (transB ? "T" : "N");
    }

    @Override
    public String toString() {
        return name() + " " + transposes() + " " + m + "x" + n + "x" + k;
    }
}
