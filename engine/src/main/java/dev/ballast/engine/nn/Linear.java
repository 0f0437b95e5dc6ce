package dev.ballast.engine.nn;

import dev.ballast.engine.math.Kernels;

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
        // W as (in, out): the weight itself, or the tied (out, in) weight read transposed. The fast
        // kernels pack B either way, so no copy is made (a copy per call would dominate generation).
        if (transposed) {
            kernels.gemm(false, true, n, out, in, x, xOff, in, weight.value(), 0, in, 1f, y, 0, out);
        } else {
            kernels.gemm(false, false, n, out, in, x, xOff, in, weight.value(), 0, out, 1f, y, 0, out);
        }
    }

    // x: (N, I) from xOff, dY: (N, O), dX: (N, I) or null
    /**
     * Accumulates {@code dW += x^T dY} and {@code db += sum_rows dY}; overwrites {@code dX = dY W^T}
     * unless dX is null.
     */
    public void backward(float[] x, int xOff, float[] dY, int n, float[] dX) {
        if (transposed) {
            // dW^T (out, in) += dY^T x
            kernels.gemm(true, false, out, in, n, dY, 0, out, x, xOff, in, 1f, weight.grad(), 0, in);
        } else {
            kernels.gemm(true, false, in, out, n, x, xOff, in, dY, 0, out, 1f, weight.grad(), 0, out);
        }
        kernels.addColumnSums(n, out, dY, 0, out, bias.grad());
        if (dX != null) {
            // dX = dY W^T: the tied weight is W^T already; an own weight (in, out) is read transposed
            if (transposed) {
                kernels.gemm(false, false, n, in, out, dY, 0, out, weight.value(), 0, in, 0f, dX, 0, in);
            } else {
                kernels.gemm(false, true, n, in, out, dY, 0, out, weight.value(), 0, out, 0f, dX, 0, in);
            }
        }
    }
}
