package dev.ballast.engine.math;


/**
 * A right-hand operand op(B) (k, n) prepared once for many {@link Kernels#gemm(boolean, int,
 * float[], int, int, PackedMatrix, float, float[], int, int) gemm} calls: the recurrent weight is
 * multiplied at every time step of a window but changes only between windows, so re-arranging it
 * for the micro-kernel once per window instead of once per step saves that copy T - 1 times.
 *
 * <p>Made by {@link Kernels#pack}; which layout it holds is the business of the kernels that made
 * it (the Vector kernels copy B into micro-kernel panels, the scalar ones keep a reference to B).
 * Either way B must not change while the packed form is in use: pack again after an update. A
 * {@code PackedMatrix} can be handed back to {@code pack} to reuse its buffer.
 *
 * <pre>{@code
 * PackedMatrix w = kernels.pack(false, hidden, 4 * hidden, wRec, 0, 4 * hidden, null);
 * for (int t = 0; t < steps; t++) {
 *     kernels.gemm(false, batch, h, t * batch * hidden, hidden, w, 1f, gates, t * batch * 4 * hidden, 4 * hidden);
 * }
 * }</pre>
 */
public final class PackedMatrix {

    public final boolean trans;
    public final int k;
    public final int n;
    public final float[] b;
    public final int bOff;
    public final int ldb;
    /** Micro-kernel panels (the vector kernels' layout), or null when B is used as stored. */
    public final float[] panels;

    public PackedMatrix(boolean trans, int k, int n, float[] b, int bOff, int ldb, float[] panels) {
        this.trans = trans;
        this.k = k;
        this.n = n;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.panels = panels;
    }

    /** Rows of op(B), the inner dimension of the product. */
    public int rows() {
        return k;
    }

    /** Columns of op(B), the columns of C. */
    public int columns() {
        return n;
    }
}
