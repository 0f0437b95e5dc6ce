package dev.ballast.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds safetensors files byte by byte from the spec, independently of {@link SafeTensors}: the length
 * prefix and every value are assembled here by shifting bytes, not with ByteBuffer.
 */
public final class RawSafeTensors {

    private RawSafeTensors() {
    }

    /** {@code value}'s low {@code count} bytes, least significant first. */
    public static byte[] le(long value, int count) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    /** Concatenation of little-endian values, each {@code width} bytes wide. */
    public static byte[] les(int width, long... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long v : values) {
            out.writeBytes(le(v, width));
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Writes length prefix, header (as given, no padding) and data section. */
    public static Path write(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Files.write(file, concat(le(json.length, 8), json, data));
        return file;
    }
}
