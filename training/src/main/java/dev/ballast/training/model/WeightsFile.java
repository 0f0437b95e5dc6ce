package dev.ballast.training.model;

import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.io.SafeTensors;
import dev.ballast.engine.io.SafeTensorsFile;
import dev.ballast.engine.io.TensorData;
import dev.ballast.engine.nn.Parameter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one way a model's parameters go to disk and back: a safetensors file of float32 tensors named as
 * the parameters, whose SHA-256 goes into the model file's {@link WeightsRef}. Loading checks, before
 * copying anything into the model, the hash (when recorded), then that the file holds exactly the model's
 * tensors, each F32 and of the parameter's shape; every failure is one line naming the file (and the
 * tensor).
 *
 * <pre>{@code
 * WeightsRef ref = WeightsFile.save(dir, "weights.safetensors", model.parameters());
 * WeightsFile.load(dir, ref, model.parameters());
 * }</pre>
 */
public final class WeightsFile {

    /** The dtype Ballast writes and model weights must have. */
    public static final String DTYPE = "F32";

    private WeightsFile() {
    }

    /**
     * Writes {@code parameters} (their current values) to {@code dir/file}, atomically; the safetensors
     * metadata names the format ({@code ballast-weights}, version 1).
     *
     * @return the file's name and SHA-256, for the model file's header
     */
    public static WeightsRef save(Path dir, String file, List<Parameter> parameters) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            if (tensors.put(p.name(), new TensorData(p.shape(), p.value().clone())) != null) {
                throw new IllegalArgumentException("two parameters are named " + p.name());
            }
        }
        WeightsRef ref = WeightsRef.unchecked(file);
        Path path = dir.resolve(ref.file());
        SafeTensors.write(path, tensors, Map.of());
        return new WeightsRef(ref.file(), sha256(path));
    }

    /**
     * Fills {@code parameters} from {@code dir/ref.file()}, after checking its SHA-256 against
     * {@code ref.sha256()} (unless that is null) and every tensor's name, dtype and shape.
     *
     * @throws CheckpointException one line naming the file (and the tensor) on the first problem found;
     *                             the parameters are unchanged then
     */
    public static void load(Path dir, WeightsRef ref, List<Parameter> parameters) {
        Path path = dir.resolve(ref.file());
        if (!Files.isRegularFile(path)) {
            throw new CheckpointException("missing file " + path);
        }
        if (ref.sha256() != null) {
            String actual = sha256(path);
            if (!actual.equals(ref.sha256())) {
                throw new CheckpointException(path + " is damaged or belongs to another model: its SHA-256 is "
                        + actual + " but the model file records " + ref.sha256());
            }
        }
        SafeTensorsFile weights = SafeTensors.read(path);
        Set<String> names = parameters.stream().map(Parameter::name).collect(Collectors.toSet());
        for (String name : weights.tensors().keySet()) {
            if (!names.contains(name)) {
                throw new CheckpointException(path + ": tensor '" + name + "' is not a parameter of this model");
            }
        }
        for (Parameter p : parameters) {
            TensorData t = weights.tensors().get(p.name());
            if (t == null) {
                throw new CheckpointException(path + " has no tensor '" + p.name() + "' (the model needs shape "
                        + Arrays.toString(p.shape()) + ")");
            }
            String dtype = weights.dtypes().get(p.name());
            if (!DTYPE.equals(dtype)) {
                throw new CheckpointException(path + ": tensor '" + p.name() + "' is " + dtype
                        + " but model weights are " + DTYPE);
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new CheckpointException(path + ": tensor '" + p.name() + "' has shape "
                        + Arrays.toString(t.shape()) + " but the model needs " + Arrays.toString(p.shape()));
            }
        }
        for (Parameter p : parameters) {
            float[] data = weights.tensors().get(p.name()).data();
            System.arraycopy(data, 0, p.value(), 0, p.size());
        }
    }

    /** Lowercase hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // the stream feeds the digest
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + file + ": " + AtomicFiles.describe(e));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
