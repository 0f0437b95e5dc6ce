package dev.ballast.engine.nn;

import java.util.Arrays;

/**
 * A trainable tensor: its values, the gradient accumulated by the last backward pass, and what
 * kind of weight it is (regularizers and clippers treat the kinds differently).
 */
public final class Parameter {

    /** What role a parameter plays; regularization and reporting depend on it. */
    public enum Kind {
        /** Token embedding table, (vocabulary, embed). */
        EMBEDDING,
        /** Input-to-hidden weights of a recurrent layer, (input, gates * hidden). */
        INPUT_WEIGHT,
        /** Hidden-to-hidden weights of a recurrent layer, (hidden, gates * hidden). */
        RECURRENT_WEIGHT,
        /** Output projection, (hidden, vocabulary). */
        OUTPUT_WEIGHT,
        /** Any bias vector. */
        BIAS
    }

    private final String name;
    private final int[] shape;
    private final Kind kind;
    private final float[] value;
    private final float[] grad;

    public Parameter(String name, Kind kind, int... shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("parameter " + name + " needs a shape");
        }
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("parameter " + name + " has a non-positive dimension " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("parameter " + name + " is too large: " + Arrays.toString(shape));
        }
        this.name = name;
        this.kind = kind;
        this.shape = shape.clone();
        this.value = new float[(int) size];
        this.grad = new float[(int) size];
    }

    /** Stable name used in checkpoints, e.g. {@code layers.0.w_recurrent}. */
    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return value.length;
    }

    /** The live value array; optimizers update it in place. */
    public float[] value() {
        return value;
    }

    /** The live gradient array; layers accumulate into it, {@link #zeroGrad()} clears it. */
    public float[] grad() {
        return grad;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
