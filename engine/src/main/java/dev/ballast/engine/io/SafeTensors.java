package dev.ballast.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes weights in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so Ballast's weights open in other tools and theirs open in Ballast.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON
 * {@code {"__metadata__": {..strings..}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin,
 * end]}, ..}}, then the data section: each tensor's little-endian row-major values, contiguous in the
 * order the header lists them, offsets relative to the start of the data section.
 *
 * <p>Ballast writes F32 only, pads the header with spaces to a multiple of 8 bytes (as the reference
 * writer does, so the data section is aligned), and writes atomically. Following the rule that every file
 * Ballast writes names its format, {@code write} adds {@code "format": "ballast-weights"} and
 * {@code "format_version": "1"} to the metadata unless the caller supplies its own {@code "format"}.
 * {@code read} does not require them, so files from other tools load too; it converts F64, F16 and BF16
 * to float and rejects other dtypes.
 *
 * <pre>{@code
 * SafeTensors.write(dir.resolve("model.safetensors"),
 *         Map.of("embedding", new TensorData(new int[] {65, 32}, values)), Map.of("step", "600"));
 * SafeTensorsFile f = SafeTensors.read(dir.resolve("model.safetensors"));
 * float[] embedding = f.tensors().get("embedding").data();
 * }</pre>
 */
public final class SafeTensors {

    /** Metadata {@code write} adds when the caller gives no "format". */
    public static final String FORMAT = "ballast-weights";
    public static final String FORMAT_VERSION = "1";

    /** Same limit as the reference implementation: a larger header is damage or an attack, not a model. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** I/O chunk: large enough for throughput, small enough not to double the memory of a big tensor. */
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} as F32 in the map's iteration order, with {@code metadata} (plus the format
     * keys, see the class comment), atomically replacing {@code file}.
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        byte[] header = headerBytes(tensors, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putLong(0, header.length);
            out.write(chunk.array(), 0, Long.BYTES);
            out.write(header);
            for (TensorData tensor : tensors.values()) {
                writeFloats(out, tensor.data(), chunk);
            }
        });
    }

    /** Reads a safetensors file, validating the header completely before reading any data. */
    public static SafeTensorsFile read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < Long.BYTES) {
                throw new CheckpointException(file + " is not a safetensors file: it has " + fileSize
                        + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0); // unsigned: values above 2^63 come out negative
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointException(file + " is not a safetensors file: its header length "
                        + Long.toUnsignedString(headerLength) + " is above the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (headerLength > fileSize - Long.BYTES) {
                throw new CheckpointException(file + " is truncated: its header length is " + headerLength
                        + " bytes but only " + (fileSize - Long.BYTES) + " bytes follow");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(file, channel, headerBytes, Long.BYTES);
            long dataStart = Long.BYTES + headerLength;
            SafeTensorsHeader header = SafeTensorsHeader.parse(file, headerBytes.array(), fileSize - dataStart);

            Map<String, TensorData> tensors = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (SafeTensorsHeader.Entry entry : header.entries()) {
                float[] data = new float[entry.size()];
                readTensor(file, channel, dataStart + entry.begin(), entry.dtype(), data, chunk);
                tensors.put(entry.name(), new TensorData(entry.shape(), data));
                dtypes.put(entry.name(), entry.dtype().name());
            }
            return new SafeTensorsFile(tensors, new LinkedHashMap<>(header.metadata()), dtypes);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + " does not exist", e);
        } catch (IOException e) {
            throw new CheckpointException("could not read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static byte[] headerBytes(Map<String, TensorData> tensors, Map<String, String> metadata) {
        ObjectNode root = SafeTensorsHeader.MAPPER.createObjectNode();
        Map<String, String> allMetadata = new LinkedHashMap<>();
        if (!metadata.containsKey("format")) {
            allMetadata.put("format", FORMAT);
            allMetadata.put("format_version", FORMAT_VERSION);
        }
        allMetadata.putAll(metadata);
        ObjectNode meta = root.putObject(SafeTensorsHeader.METADATA_KEY);
        allMetadata.forEach(meta::put);

        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            if (e.getKey().equals(SafeTensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named " + SafeTensorsHeader.METADATA_KEY);
            }
            TensorData tensor = e.getValue();
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", DType.F32.name());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(tensor.shape()).forEach(shape::add);
            long end = offset + (long) tensor.size() * DType.F32.size;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = SafeTensorsHeader.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
        // Pad with spaces (valid JSON whitespace) so the data section starts 8-byte aligned.
        byte[] padded = new byte[(json.length + 7) & ~7];
        Arrays.fill(padded, (byte) ' ');
        System.arraycopy(json, 0, padded, 0, json.length);
        return padded;
    }

    private static void writeFloats(OutputStream out, float[] data, ByteBuffer chunk) throws IOException {
        int perChunk = chunk.capacity() / Float.BYTES;
        for (int off = 0; off < data.length; off += perChunk) {
            int count = Math.min(perChunk, data.length - off);
            chunk.clear();
            chunk.asFloatBuffer().put(data, off, count);
            out.write(chunk.array(), 0, count * Float.BYTES);
        }
    }

    private static void readTensor(Path file, FileChannel channel, long position, DType dtype, float[] data,
                                   ByteBuffer chunk) throws IOException {
        int perChunk = chunk.capacity() / dtype.size;
        for (int off = 0; off < data.length; off += perChunk) {
            int count = Math.min(perChunk, data.length - off);
            chunk.clear().limit(count * dtype.size);
            readFully(file, channel, chunk, position + (long) off * dtype.size);
            chunk.flip();
            dtype.decode(chunk, data, off, count);
        }
    }

    /** Fills {@code buffer} from {@code position}; the size was checked, so EOF means the file shrank. */
    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new CheckpointException(file + " is truncated: it ended at byte " + at + " while being read");
            }
            at += n;
        }
    }
}
