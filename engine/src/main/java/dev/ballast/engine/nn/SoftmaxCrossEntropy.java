package dev.ballast.engine.nn;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;

/**
 * Softmax followed by the cross-entropy with integer targets, averaged over the N rows. Each row is
 * shifted by its maximum before exponentiating (log-sum-exp), so large logits cannot overflow, and
 * the loss is summed in double.
 *
 * <p>{@link #forward} also writes the gradient, {@code (softmax - onehot(target)) / N}, while the
 * row's exponentials are still in cache: at 10,000 words a row is 40 KB and the (N, V) block tens
 * of megabytes, so a separate backward pass would read it all again. Rows are independent and are
 * shared between the kernels' threads; the loss is still summed in row order.
 */
public final class SoftmaxCrossEntropy {

    private float[] grad; // (N, V): the gradient of the last forward's mean loss w.r.t. the logits
    private double[] rowLoss; // (N)
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
    /** The mean cross-entropy over {@code n} rows; keeps its gradient for {@link #gradient()}. */
    public float forward(float[] logits, int[] targets, int n, int v) {
        for (int r = 0; r < n; r++) {
            checkTarget(targets[r], r, v);
        }
        grad = Buffers.ensure(grad, n * v);
        if (rowLoss == null || rowLoss.length < n) {
            rowLoss = new double[n];
        }
        float[] g = grad;
        double[] losses = rowLoss;
        float invN = 1f / n;
        kernels.forEachRange(n, 4, (from, to) -> {
            for (int r = from; r < to; r++) {
                int row = r * v;
                float max = kernels.max(logits, row, v);
                double z = kernels.expShifted(logits, row, v, max, g, row);
                float invZ = (float) (1.0 / z);
                for (int j = row; j < row + v; j++) {
                    g[j] = g[j] * invZ * invN; // softmax / N
                }
                g[row + targets[r]] -= invN;
                losses[r] = Math.log(z) + max - logits[row + targets[r]];
            }
        });
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += losses[r];
        }
        return (float) (sum / n);
    }

    /**
     * dL/dlogits (N, V) of the last {@link #forward}'s mean loss, {@code (softmax - onehot(targets)) / N}:
     * this object's own buffer, valid until the next forward; callers may overwrite it.
     */
    public float[] gradient() {
        if (grad == null) {
            throw new IllegalStateException("no gradient before a forward");
        }
        return grad;
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
            float max = kernels.max(logits, row, v);
            double z = kernels.expShifted(logits, row, v, max, null, 0);
            sum += Math.log(z) + max - logits[row + checkTarget(targets[r], r, v)];
        }
        return sum;
    }

    private static int checkTarget(int target, int row, int v) {
        if (target < 0 || target >= v) {
            throw new IllegalArgumentException("target id " + target + " at position " + row + " is outside [0, " + v + ")");
        }
        return target;
    }
}
