package dev.ballast.training.model;

import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.RawSafeTensors;
import dev.ballast.engine.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightsFileTest {

    @TempDir
    Path dir;

    private static List<Parameter> parameters(float offset) {
        Parameter w = new Parameter("layer.weight", Parameter.Kind.INPUT_WEIGHT, 2, 3);
        Parameter b = new Parameter("layer.bias", Parameter.Kind.BIAS, 3);
        for (int i = 0; i < w.size(); i++) {
            w.value()[i] = offset + i * 0.25f;
        }
        for (int i = 0; i < b.size(); i++) {
            b.value()[i] = offset - i;
        }
        return List.of(w, b);
    }

    private static String loadError(Path dir, WeightsRef ref, List<Parameter> into) {
        String m = assertThrows(CheckpointException.class, () -> WeightsFile.load(dir, ref, into)).getMessage();
        assertFalse(m.contains("\n"), m);
        return m;
    }

    @Test
    void roundTripRecordsTheFilesHashAndRestoresEveryValue() {
        List<Parameter> saved = parameters(1f);
        WeightsRef ref = WeightsFile.save(dir, "w.safetensors", saved);
        assertEquals("w.safetensors", ref.file());
        assertEquals(WeightsFile.sha256(dir.resolve("w.safetensors")), ref.sha256());
        assertEquals(64, ref.sha256().length());

        List<Parameter> loaded = parameters(0f);
        WeightsFile.load(dir, ref, loaded);
        for (int i = 0; i < saved.size(); i++) {
            assertArrayEquals(saved.get(i).value(), loaded.get(i).value(), saved.get(i).name());
        }
    }

    @Test
    void aFlippedBitInTheDataIsAOneLineErrorNamingTheFile() throws IOException {
        WeightsRef ref = WeightsFile.save(dir, "w.safetensors", parameters(1f));
        Path file = dir.resolve("w.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x01; // a low mantissa bit of the last bias value
        Files.write(file, bytes);

        List<Parameter> into = parameters(0f);
        String m = loadError(dir, ref, into);
        assertTrue(m.startsWith(file + " is damaged or belongs to another model: its SHA-256 is "), m);
        assertTrue(m.endsWith("but the model file records " + ref.sha256()), m);
        assertEquals(0f, into.get(0).value()[0], "nothing is copied from a damaged file");

        // Without a recorded hash (files of older releases) the same file loads: what the hash is for.
        WeightsFile.load(dir, WeightsRef.unchecked("w.safetensors"), into);
        assertEquals(1f, into.get(0).value()[0]);
    }

    @Test
    void aShapeMismatchNamesTheTensorAndBothShapes() {
        WeightsRef ref = WeightsFile.save(dir, "w.safetensors", parameters(1f));
        List<Parameter> other = List.of(new Parameter("layer.weight", Parameter.Kind.INPUT_WEIGHT, 3, 2),
                new Parameter("layer.bias", Parameter.Kind.BIAS, 3));
        assertEquals(dir.resolve("w.safetensors") + ": tensor 'layer.weight' has shape [2, 3] but the model needs [3, 2]",
                loadError(dir, ref, other));
    }

    @Test
    void missingAndExtraTensorsAreNamed() {
        WeightsRef ref = WeightsFile.save(dir, "w.safetensors", parameters(1f));
        Path file = dir.resolve("w.safetensors");
        List<Parameter> more = List.of(parameters(0f).get(0), parameters(0f).get(1),
                new Parameter("head.bias", Parameter.Kind.BIAS, 1));
        assertEquals(file + " has no tensor 'head.bias' (the model needs shape [1])", loadError(dir, ref, more));
        List<Parameter> fewer = List.of(parameters(0f).get(0));
        assertEquals(file + ": tensor 'layer.bias' is not a parameter of this model", loadError(dir, ref, fewer));
    }

    @Test
    void weightsOfAnotherDtypeAreRefused() throws IOException {
        byte[] half = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00)
                .putShort((short) 0x3C00).array();
        Path file = RawSafeTensors.write(dir.resolve("h.safetensors"),
                "{\"b\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [0, 4]}}", half);
        List<Parameter> into = List.of(new Parameter("b", Parameter.Kind.BIAS, 2));
        assertEquals(file + ": tensor 'b' is F16 but model weights are F32",
                loadError(dir, WeightsRef.unchecked("h.safetensors"), into));
    }

    @Test
    void aMissingFileIsNamed() {
        assertEquals("missing file " + dir.resolve("none.safetensors"),
                loadError(dir, WeightsRef.unchecked("none.safetensors"), parameters(0f)));
    }

    @Test
    void theRecordedFileNameCannotLeaveTheModelDirectory() {
        for (String bad : new String[] {"../w.safetensors", "/etc/passwd", "a\\b", "..", " "}) {
            assertThrows(IllegalArgumentException.class, () -> WeightsRef.unchecked(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new WeightsRef("w.safetensors", "abc"));
        assertEquals("ab".repeat(32), new WeightsRef("w.safetensors", "AB".repeat(32)).sha256());
    }
}
