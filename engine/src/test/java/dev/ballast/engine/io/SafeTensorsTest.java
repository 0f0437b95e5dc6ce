package dev.ballast.engine.io;

import static dev.ballast.engine.io.RawSafeTensors.concat;
import static dev.ballast.engine.io.RawSafeTensors.les;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    /** Scalar, empty, 1-d with special values and 3-d, deliberately not in alphabetical order. */
    private static Map<String, TensorData> sampleTensors() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("scalar", new TensorData(new int[] {}, new float[] {3.5f}));
        tensors.put("special", new TensorData(new int[] {9}, new float[] {
                Float.NaN, Float.intBitsToFloat(0x7fc00123), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                -0.0f, 0.0f, Float.MIN_VALUE, Float.MIN_NORMAL / 4, -Float.MAX_VALUE}));
        float[] cube = new float[2 * 3 * 4];
        for (int i = 0; i < cube.length; i++) {
            cube[i] = i * 0.37f - 3f;
        }
        tensors.put("cube", new TensorData(new int[] {2, 3, 4}, cube));
        tensors.put("empty", new TensorData(new int[] {0, 3}, new float[0]));
        tensors.put("b.bias", new TensorData(new int[] {2}, new float[] {1e-30f, -1e30f}));
        return tensors;
    }

    @Test
    void roundTripIsBitExactAndKeepsOrderAndMetadata() {
        Path file = dir.resolve("model.safetensors");
        Map<String, TensorData> tensors = sampleTensors();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("step", "600");
        metadata.put("note", "héllo \"quoted\"");

        SafeTensors.write(file, tensors, metadata);
        SafeTensorsFile read = SafeTensors.read(file);

        assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(read.tensors().keySet()));
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData back = read.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
            assertArrayEquals(rawBits(e.getValue().data()), rawBits(back.data()), e.getKey());
        }
        assertEquals("600", read.metadata().get("step"));
        assertEquals("héllo \"quoted\"", read.metadata().get("note"));
        assertEquals(SafeTensors.FORMAT, read.metadata().get("format"));
        assertEquals(SafeTensors.FORMAT_VERSION, read.metadata().get("format_version"));
        assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(read.dtypes().keySet()));
        assertTrue(read.dtypes().values().stream().allMatch("F32"::equals));
    }

    @Test
    void readsHandBuiltFileWithHalfBfloatDoubleAndFloatTensors() throws IOException {
        // Header order differs from data order on purpose: the map follows the header.
        String header = """
                {"single": {"dtype": "F32", "shape": [1, 2], "data_offsets": [40, 48]},
                 "__metadata__": {"source": "hand"},
                 "half": {"dtype": "F16", "shape": [5], "data_offsets": [0, 10]},
                 "brain": {"dtype": "BF16", "shape": [3], "data_offsets": [10, 16]},
                 "double": {"dtype": "F64", "shape": [], "data_offsets": [16, 24]},
                 "pair": {"dtype": "F64", "shape": [2, 1], "data_offsets": [24, 40]}}""";
        byte[] data = concat(
                // F16: 1.0, -2.0, 0.5, smallest subnormal 2^-24, +infinity
                les(2, 0x3C00, 0xC000, 0x3800, 0x0001, 0x7C00),
                // BF16: 1.0, -2.0, 0.5 (the high 16 bits of the float32 patterns)
                les(2, 0x3F80, 0xC000, 0x3F00),
                // F64 scalar 0.5, then 1.0 and -2.0
                les(8, 0x3FE0000000000000L),
                les(8, 0x3FF0000000000000L, 0xC000000000000000L),
                // F32: 1.0, -2.0
                les(4, 0x3F800000L, 0xC0000000L));
        Path file = RawSafeTensors.write(dir.resolve("hand.safetensors"), header, data);

        SafeTensorsFile read = SafeTensors.read(file);

        assertEquals(List.of("single", "half", "brain", "double", "pair"), new ArrayList<>(read.tensors().keySet()));
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 0x1p-24f, Float.POSITIVE_INFINITY}, read.tensors().get("half").data());
        assertArrayEquals(new float[] {1f, -2f, 0.5f}, read.tensors().get("brain").data());
        assertArrayEquals(new int[] {}, read.tensors().get("double").shape());
        assertArrayEquals(new float[] {0.5f}, read.tensors().get("double").data());
        assertArrayEquals(new int[] {2, 1}, read.tensors().get("pair").shape());
        assertArrayEquals(new float[] {1f, -2f}, read.tensors().get("pair").data());
        assertEquals(List.of("F32", "F16", "BF16", "F64", "F64"), new ArrayList<>(read.dtypes().values()));
        assertArrayEquals(new int[] {1, 2}, read.tensors().get("single").shape());
        assertArrayEquals(new float[] {1f, -2f}, read.tensors().get("single").data());
        assertEquals(Map.of("source", "hand"), read.metadata());
    }

    @Test
    void writtenHeaderFollowsTheSpec() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, TensorData> tensors = sampleTensors();
        SafeTensors.write(file, tensors, Map.of("step", "7"));
        byte[] bytes = Files.readAllBytes(file);

        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (bytes[i] & 0xff);
        }
        assertEquals(0, (8 + n) % 8, "data section is 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), "padding is trailing");
        assertTrue(header.substring(header.strip().length()).chars().allMatch(c -> c == ' '), "padding is spaces");

        JsonNode root = Json.MAPPER.readTree(header);
        JsonNode meta = root.get("__metadata__");
        assertEquals("ballast-weights", meta.get("format").asText());
        assertEquals("1", meta.get("format_version").asText());
        assertEquals("7", meta.get("step").asText());

        List<String> names = new ArrayList<>();
        long expectedBegin = 0;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            names.add(field.getKey());
            JsonNode entry = field.getValue();
            TensorData tensor = tensors.get(field.getKey());
            assertEquals("F32", entry.get("dtype").asText());
            int[] shape = new int[entry.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = entry.get("shape").get(i).asInt();
            }
            assertArrayEquals(tensor.shape(), shape);
            assertEquals(expectedBegin, entry.get("data_offsets").get(0).asLong(), field.getKey());
            expectedBegin += 4L * tensor.size();
            assertEquals(expectedBegin, entry.get("data_offsets").get(1).asLong(), field.getKey());
        }
        assertEquals(new ArrayList<>(tensors.keySet()), names);
        assertEquals(bytes.length - 8 - n, expectedBegin, "tensors fill the data section exactly");

        // The scalar is first: its 4 bytes right after the header are 3.5f little-endian.
        int scalarBits = (bytes[(int) (8 + n)] & 0xff) | (bytes[(int) (9 + n)] & 0xff) << 8
                | (bytes[(int) (10 + n)] & 0xff) << 16 | (bytes[(int) (11 + n)] & 0xff) << 24;
        assertEquals(3.5f, Float.intBitsToFloat(scalarBits));
    }

    @Test
    void callerSuppliedFormatIsKeptAsIs() {
        Path file = dir.resolve("other.safetensors");
        SafeTensors.write(file, Map.of("w", new TensorData(new int[] {1}, new float[] {1f})), Map.of("format", "pt"));

        Map<String, String> metadata = SafeTensors.read(file).metadata();

        assertEquals(Map.of("format", "pt"), metadata);
    }

    @Test
    void largeTensorSpanningSeveralIoChunksRoundTrips() {
        Path file = dir.resolve("big.safetensors");
        float[] values = new float[(1 << 18) + 3]; // > 1 MB of floats: several chunks and an odd tail
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        SafeTensors.write(file, Map.of("big", new TensorData(new int[] {values.length}, values)), Map.of());

        assertArrayEquals(values, SafeTensors.read(file).tensors().get("big").data());
    }

    @Test
    void rejectsUnsupportedDtypeNamingTensorAndDtype() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("ids.safetensors"),
                "{\"ids\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", les(8, 42));

        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'ids'") && e.getMessage().contains("I64"), e.getMessage());
    }

    @Test
    void tensorCannotBeNamedLikeTheMetadataKey() {
        Map<String, TensorData> tensors = Map.of("__metadata__", new TensorData(new int[] {1}, new float[] {1f}));

        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("x"), tensors, Map.of()));
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void halfToFloatCoversEveryClassOfValue() {
        assertEquals(65504f, DType.halfToFloat((short) 0x7BFF)); // largest finite half
        assertEquals(0x1p-14f, DType.halfToFloat((short) 0x0400)); // smallest normal
        assertEquals(0x3FFp-24f, DType.halfToFloat((short) 0x03FF)); // largest subnormal
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(DType.halfToFloat((short) 0x8000)));
        assertEquals(Float.NEGATIVE_INFINITY, DType.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(DType.halfToFloat((short) 0x7E00)));
        assertEquals(-1.5f, DType.halfToFloat((short) 0xBE00));
    }

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        Arrays.setAll(bits, i -> Float.floatToRawIntBits(values[i]));
        return bits;
    }
}
