package dev.ballast.engine.io;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The safetensors element types Ballast can read, each converted to float. Ballast writes only F32;
 * the others let it load weights exported by other tools (half precision is common).
 */
enum DType {
    F32(4) {
        @Override
        void decode(ByteBuffer src, float[] dst, int off, int count) {
            src.asFloatBuffer().get(dst, off, count);
        }
    },
    F64(8) {
        @Override
        void decode(ByteBuffer src, float[] dst, int off, int count) {
            DoubleBuffer in = src.asDoubleBuffer();
            for (int i = 0; i < count; i++) {
                dst[off + i] = (float) in.get(i);
            }
        }
    },
    F16(2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int off, int count) {
            ShortBuffer in = src.asShortBuffer();
            for (int i = 0; i < count; i++) {
                dst[off + i] = halfToFloat(in.get(i));
            }
        }
    },
    BF16(2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int off, int count) {
            ShortBuffer in = src.asShortBuffer();
            for (int i = 0; i < count; i++) {
                // bfloat16 is the top half of an IEEE float32, so widening is a shift.
                dst[off + i] = Float.intBitsToFloat((in.get(i) & 0xffff) << 16);
            }
        }
    };

    /** Bytes per element. */
    final int size;

    DType(int size) {
        this.size = size;
    }

    /**
     * Converts {@code count} little-endian elements starting at {@code src}'s position into
     * {@code dst[off .. off+count)}; {@code src} must be little-endian and hold at least that many.
     */
    abstract void decode(ByteBuffer src, float[] dst, int off, int count);

    /** The type with this safetensors name ("F32", "BF16", ...), if Ballast can read it. */
    static Optional<DType> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * IEEE 754 binary16 to binary32 (exact: every half value is a float). Java 17 has no
     * Float.float16ToFloat (that arrived in Java 20).
     */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            // infinity (mantissa 0) or NaN, payload kept
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // rebias the exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
