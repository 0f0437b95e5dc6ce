package dev.ballast.trainer.nn;

import dev.ballast.trainer.math.Kernels;

/**
 * Affine map {@code out = x W + b} with W stored (in, out) so that a batch of rows is one gemm.
 * Used as the language model's output projection.
 */
public final class Linear {

    // weight: (I, O), bias: (O)
    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int out;
    private Kernels kernels;

    /**
     * @param name       prefix of the parameter names ({@code name.weight}, {@code name.bias})
     * @param weightKind the kind of the weight matrix (the bias is always {@link Parameter.Kind#BIAS})
     */
    public Linear(String name, int in, int out, Parameter.Kind weightKind, Kernels kernels) {
        this.weight = new Parameter(name + ".weight", weightKind, in, out);
        this.bias = new Parameter(name + ".bias", Parameter.Kind.BIAS, out);
        this.in = in;
        this.out = out;
        this.kernels = kernels;
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
        kernels.gemm(false, false, n, out, in, x, xOff, in, weight.value(), 0, out, 1f, y, 0, out);
    }

    // x: (N, I) from xOff, dY: (N, O), dX: (N, I) or null
    /**
     * Accumulates {@code dW += x^T dY} and {@code db += sum_rows dY}; overwrites {@code dX = dY W^T}
     * unless dX is null.
     */
    public void backward(float[] x, int xOff, float[] dY, int n, float[] dX) {
        kernels.gemm(true, false, in, out, n, x, xOff, in, dY, 0, out, 1f, weight.grad(), 0, out);
        float[] db = bias.grad();
        for (int r = 0; r < n; r++) {
            int row = r * out;
            for (int j = 0; j < out; j++) {
                db[j] += dY[row + j];
            }
        }
        if (dX != null) {
            kernels.gemm(false, true, n, in, out, dY, 0, out, weight.value(), 0, out, 0f, dX, 0, in);
        }
    }
}
