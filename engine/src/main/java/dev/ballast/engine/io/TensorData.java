package dev.ballast.engine.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor's shape and values as stored in a weight file: row-major, {@code data.length ==
 * product(shape)}. A 0-d scalar has shape {@code []} and one element.
 *
 * <p>The arrays are not copied (weights can be hundreds of megabytes); the caller must not change them
 * while a writer uses them. Equality compares contents, float by float bit pattern (so NaN equals NaN and
 * -0.0 differs from 0.0), which is what a bit-exact round trip needs.
 */
public record TensorData(int[] shape, float[] data) {

    public TensorData {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                    + " values but data has " + data.length);
        }
    }

    /** The number of values, product(shape). */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "TensorData" + Arrays.toString(shape);
    }
}
