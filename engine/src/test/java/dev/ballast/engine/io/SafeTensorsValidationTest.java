package dev.ballast.engine.io;

import static dev.ballast.engine.io.RawSafeTensors.le;
import static dev.ballast.engine.io.RawSafeTensors.les;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a safetensors file can be damaged gives a one-line CheckpointException naming the file. */
class SafeTensorsValidationTest {

    @TempDir
    Path dir;

    private static final String ONE = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}";

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.safetensors");
        assertRejected(file, "does not exist");
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        Path file = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 0, 0});
        assertRejected(file, "3 bytes");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        Path file = Files.write(dir.resolve("long.safetensors"), RawSafeTensors.concat(le(500, 8), "{}".getBytes()));
        assertRejected(file, "header length is 500", "only 2 bytes follow");
    }

    @Test
    void headerLengthAboveTheLimit() throws IOException {
        Path file = Files.write(dir.resolve("huge.safetensors"), RawSafeTensors.concat(le(200_000_000L, 8), "{}".getBytes()));
        assertRejected(file, "200000000", "limit");
    }

    @Test
    void headerLengthAboveTwoToTheSixtyThreeIsReadAsUnsigned() throws IOException {
        Path file = Files.write(dir.resolve("neg.safetensors"), RawSafeTensors.concat(le(-1L, 8), "{}".getBytes()));
        assertRejected(file, "18446744073709551615");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{nope", "[1, 2]", "\"text\"", "{} {}", "{\"a\": 1, \"a\": 2}"})
    void headerThatIsNotOneJsonObject(String header) throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("bad.safetensors"), header, new byte[0]);
        assertRejected(file, "malformed safetensors header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtype", "shape", "data_offsets"})
    void entryMissingARequiredField(String field) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("dtype", "\"F32\"");
        fields.put("shape", "[2]");
        fields.put("data_offsets", "[0, 8]");
        fields.remove(field);
        StringBuilder entry = new StringBuilder("{");
        fields.forEach((k, v) -> entry.append(entry.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        entry.append('}');
        Path file = RawSafeTensors.write(dir.resolve("missing.safetensors"), "{\"a\": " + entry + "}", les(4, 0, 0));
        assertRejected(file, "tensor 'a'", field);
    }

    @Test
    void entryThatIsNotAnObject() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("x.safetensors"), "{\"a\": [1, 2]}", new byte[0]);
        assertRejected(file, "tensor 'a' is not an object");
    }

    @Test
    void metadataValueThatIsNotAString() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("meta.safetensors"), "{\"__metadata__\": {\"step\": 600}}", new byte[0]);
        assertRejected(file, "__metadata__", "'step'");
    }

    @Test
    void negativeDimension() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("neg.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [2, -1], \"data_offsets\": [0, 8]}}", les(4, 0, 0));
        assertRejected(file, "tensor 'a'", "negative dimension", "[2, -1]");
    }

    @Test
    void beginAfterEnd() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("rev.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [8, 0]}}", les(4, 0, 0));
        assertRejected(file, "tensor 'a'", "[8, 0]", "begin is after its end");
    }

    @Test
    void byteRangeNotMatchingShape() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("size.safetensors"),
                "{\"a\": {\"dtype\": \"F16\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}}", les(4, 0, 0, 0, 0));
        assertRejected(file, "tensor 'a'", "16 bytes", "F16 needs 8");
    }

    @Test
    void offsetsBeyondTheData() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("cut.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", les(4, 0, 0, 0));
        CheckpointException e = assertRejected(file);
        assertEquals(file + " is truncated: tensor 'a' needs bytes [0, 16) of the data section but it has only 12",
                e.getMessage());
    }

    @Test
    void overlappingTensors() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("overlap.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                        + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", les(4, 0, 0, 0));
        assertRejected(file, "'a'", "'b'", "overlap");
    }

    @Test
    void gapBetweenTensors() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("gap.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                        + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", les(4, 0, 0, 0));
        assertRejected(file, "bytes [4, 8)", "before tensor 'b'");
    }

    @Test
    void dataNotStartingAtZero() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("late.safetensors"),
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", les(4, 0, 0));
        assertRejected(file, "bytes [0, 4)", "before tensor 'a'");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        Path file = RawSafeTensors.write(dir.resolve("tail.safetensors"), ONE, les(4, 0, 0, 0));
        assertRejected(file, "bytes [8, 12)", "belong to no tensor");
    }

    @Test
    void truncatedAnywhere() throws IOException {
        Path whole = dir.resolve("whole.safetensors");
        float[] values = new float[10];
        Arrays.fill(values, 1.25f);
        SafeTensors.write(whole, Map.of("w", new TensorData(new int[] {2, 5}, values)), Map.of());
        byte[] bytes = Files.readAllBytes(whole);
        int dataStart = bytes.length - 40;

        int[] cuts = {0, 4, 7, 8, 9, dataStart / 2, dataStart - 1, dataStart, dataStart + 6, bytes.length - 1};
        for (int cut : cuts) {
            Path file = Files.write(dir.resolve("cut-" + cut + ".safetensors"), Arrays.copyOf(bytes, cut));
            CheckpointException e = assertRejected(file);
            if (cut >= dataStart) {
                assertTrue(e.getMessage().contains("is truncated: tensor 'w' needs bytes [0, 40)"), e.getMessage());
            }
        }
    }

    @Test
    void headerWithInvalidUtf8() throws IOException {
        Path file = dir.resolve("latin1.safetensors");
        byte[] header = "{\"\u00e9\": 1}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(file, RawSafeTensors.concat(le(header.length, 8), header));
        assertRejected(file, "malformed safetensors header");
    }

    /** Reads {@code file} expecting a one-line CheckpointException naming it and containing each fragment. */
    private static CheckpointException assertRejected(Path file, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), "names the file: " + message);
        assertFalse(message.contains("\n"), "one line: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "contains '" + fragment + "': " + message);
        }
        return e;
    }
}
