package dev.ballast.trainer.nn;

import dev.ballast.trainer.math.KernelProvider;
import dev.ballast.trainer.math.Kernels;

/**
 * Softmax followed by the cross-entropy with integer targets, averaged over the N rows. Each row is
 * shifted by its maximum before exponentiating (log-sum-exp), so large logits cannot overflow, and
 * the loss is summed in double.
 */
public final class SoftmaxCrossEntropy {

    private float[] probs; // (N, V): softmax of the last forward, kept for backward
    private int n;
    private int v;
    private Kernels kernels;

    /** With the scalar reference kernels. */
    public SoftmaxCrossEntropy() {
        this(KernelProvider.scalar());
    }

    /** The exponentials go through {@code kernels}: at 10,000 words they are most of a step's element-wise work. */
    public SoftmaxCrossEntropy(Kernels kernels) {
        this.kernels = kernels;
    }

    public void setKernels(Kernels kernels) {
        this.kernels = kernels;
    }

    // logits: (N, V), targets: (N) -> mean loss
    /** The mean cross-entropy over {@code n} rows; keeps the probabilities for {@link #backward}. */
    public float forward(float[] logits, int[] targets, int n, int v) {
        this.n = n;
        this.v = v;
        probs = Buffers.ensure(probs, n * v);
        double sum = 0;
        for (int r = 0; r < n; r++) {
            int row = r * v;
            float max = rowMax(logits, row, v);
            double z = kernels.expShifted(logits, row, v, max, probs, row);
            float invZ = (float) (1.0 / z);
            for (int j = 0; j < v; j++) {
                probs[row + j] *= invZ;
            }
            sum += Math.log(z) + max - logits[row + checkTarget(targets[r], r, v)];
        }
        return (float) (sum / n);
    }

    // targets: (N), dLogits: (N, V), may alias the logits of forward
    /** Overwrites {@code dLogits = (softmax - onehot(targets)) / N}, the gradient of the mean loss. */
    public void backward(int[] targets, float[] dLogits) {
        float invN = 1f / n;
        for (int r = 0; r < n; r++) {
            int row = r * v;
            for (int j = 0; j < v; j++) {
                dLogits[row + j] = probs[row + j] * invN;
            }
            dLogits[row + targets[r]] -= invN;
        }
    }

    // logits: (N, V), targets: (N) -> summed loss
    /** The summed cross-entropy over {@code n} rows, in double, without keeping anything. */
    public static double lossSum(float[] logits, int[] targets, int n, int v) {
        return lossSum(KernelProvider.scalar(), logits, targets, n, v);
    }

    /** The summed cross-entropy, like {@link #lossSum(float[], int[], int, int)}, on this instance's kernels. */
    public double sum(float[] logits, int[] targets, int n, int v) {
        return lossSum(kernels, logits, targets, n, v);
    }

    /** {@link #lossSum(float[], int[], int, int)} with the exponentials on {@code kernels}. */
    public static double lossSum(Kernels kernels, float[] logits, int[] targets, int n, int v) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
            int row = r * v;
            float max = rowMax(logits, row, v);
            double z = kernels.expShifted(logits, row, v, max, null, 0);
            sum += Math.log(z) + max - logits[row + checkTarget(targets[r], r, v)];
        }
        return sum;
    }

    private static float rowMax(float[] a, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, a[off + j]);
        }
        return max;
    }

    private static int checkTarget(int target, int row, int v) {
        if (target < 0 || target >= v) {
            throw new IllegalArgumentException("target id " + target + " at position " + row + " is outside [0, " + v + ")");
        }
        return target;
    }
}
