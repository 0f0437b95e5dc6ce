package dev.ballast.trainer.nn;

import dev.ballast.trainer.math.Kernels;

/**
 * Affine map {@code out = x W + b} with W stored (in, out) so that a batch of rows is one gemm.
 * Used as the language model's output projection. A {@linkplain #tiedTo tied} Linear instead
 * reads W as the transpose of another layer's (out, in) weight (the embedding table), and
 * accumulates its weight gradient into that parameter's gradient, which then holds the sum of both
 * uses.
 */
public final class Linear {

    // weight: (I, O), bias: (O)
    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;
    private final boolean transposed; // weight stored (out, in): W = weight^T
    private Kernels kernels;
    // The weight in the other layout, refreshed by every forward: (out, in) when untied, (in, out)
    // when tied. Every gemm can then read its B operand along rows; a transposed B is strided
    // access, which for a (256, 10000) output matrix costs several times the copy (0.1% of the work).
    private float[] flipped;

    /**
     * @param name       prefix of the parameter names ({@code name.weight}, {@code name.bias})
     * @param weightKind the kind of the weight matrix (the bias is always {@link Parameter.Kind#BIAS})
     */
    public Linear(String name, int in, int out, Parameter.Kind weightKind, Kernels kernels) {
        this(new Parameter(name + ".weight", weightKind, in, out), name, in, out, false, kernels);
    }

    private Linear(Parameter weight, String name, int in, int out, boolean transposed, Kernels kernels) {
        this.weight = weight;
        this.bias = new Parameter(name + ".bias", Parameter.Kind.BIAS, out);
        this.in = in;
        this.out = out;
        this.transposed = transposed;
        this.kernels = kernels;
    }

    /**
     * A Linear whose W (in, out) is the transpose of {@code shared} (out, in); only the bias
     * ({@code name.bias}) is its own parameter.
     */
    public static Linear tiedTo(Parameter shared, String name, Kernels kernels) {
        int[] shape = shared.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("a tied weight must be a matrix, " + shared.name() + " has shape " + java.util.Arrays.toString(shape));
        }
        return new Linear(shared, name, shape[1], shape[0], true, kernels);
    }

    /** Whether the weight is shared (transposed) with another layer. */
    public boolean isTied() {
        return transposed;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public void setKernels(Kernels kernels) {
        this.kernels = kernels;
    }

    // x: (N, I) from xOff, y: (N, O)
    /** {@code y = x W + b} for the {@code n} rows of x starting at {@code xOff}. */
    public void forward(float[] x, int xOff, int n, float[] y) {
        float[] b = bias.value();
        for (int r = 0; r < n; r++) {
            System.arraycopy(b, 0, y, r * out, out);
        }
        flipped = Buffers.ensure(flipped, in * out);
        float[] w = weight.value();
        int rows = transposed ? out : in;
        int cols = transposed ? in : out;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                flipped[c * rows + r] = w[r * cols + c];
            }
        }
        // W as (in, out): the weight itself, or its flipped copy when tied
        kernels.gemm(false, false, n, out, in, x, xOff, in, transposed ? flipped : w, 0, out, 1f, y, 0, out);
    }

    // x: (N, I) from xOff, dY: (N, O), dX: (N, I) or null
    /**
     * Accumulates {@code dW += x^T dY} and {@code db += sum_rows dY}; overwrites {@code dX = dY W^T}
     * unless dX is null. Uses the weight as it was at the last {@link #forward}.
     */
    public void backward(float[] x, int xOff, float[] dY, int n, float[] dX) {
        if (transposed) {
            // dW^T (out, in) += dY^T x
            kernels.gemm(true, false, out, in, n, dY, 0, out, x, xOff, in, 1f, weight.grad(), 0, in);
        } else {
            kernels.gemm(true, false, in, out, n, x, xOff, in, dY, 0, out, 1f, weight.grad(), 0, out);
        }
        float[] db = bias.grad();
        for (int r = 0; r < n; r++) {
            int row = r * out;
            for (int j = 0; j < out; j++) {
                db[j] += dY[row + j];
            }
        }
        if (dX != null) {
            // W^T as (out, in): the tied weight itself, or the copy flipped by forward
            kernels.gemm(false, false, n, in, out, dY, 0, out, transposed ? weight.value() : flipped, 0, in, 0f, dX, 0, in);
        }
    }
}
