package dev.ballast.engine.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file: where each tensor lives in the data section
 * and the string metadata. Validation is complete before any tensor data is read, so a damaged file fails
 * with one message naming the file and the first problem found.
 */
record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {

    /** One tensor's dtype, shape and byte range [begin, end) relative to the start of the data section. */
    record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        int size() {
            return (int) ((end - begin) / dtype.size);
        }
    }

    static final String METADATA_KEY = "__metadata__";

    /** Duplicate tensor names and junk after the JSON object are errors, not silently ignored. */
    static final JsonMapper MAPPER = Json.MAPPER;

    /**
     * Parses {@code json} (the header bytes, possibly padded with spaces) and checks every entry against
     * a data section of {@code dataLength} bytes.
     */
    static SafeTensorsHeader parse(Path file, byte[] json, long dataLength) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw malformed(file, "not valid JSON (" + Json.firstLine(e.getOriginalMessage()) + ")");
        } catch (java.io.IOException e) {
            throw malformed(file, "unreadable (" + AtomicFiles.describe(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw malformed(file, "expected a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(readEntry(file, field.getKey(), field.getValue()));
            }
        }
        checkLayout(file, entries, dataLength);
        return new SafeTensorsHeader(entries, metadata);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw malformed(file, METADATA_KEY + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw malformed(file, METADATA_KEY + " value '" + field.getKey() + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode node) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw malformed(file, where + " is not an object");
        }
        JsonNode dtypeNode = required(file, where, node, "dtype");
        JsonNode shapeNode = required(file, where, node, "shape");
        JsonNode offsetsNode = required(file, where, node, "data_offsets");
        if (!dtypeNode.isTextual()) {
            throw malformed(file, where + " has a dtype that is not a string");
        }
        DType dtype = DType.byName(dtypeNode.textValue()).orElseThrow(() -> new CheckpointException(
                file + ": " + where + " has dtype " + dtypeNode.textValue()
                        + ", but Ballast reads only F32, F64, F16 and BF16"));

        if (!shapeNode.isArray()) {
            throw malformed(file, where + " has a shape that is not an array");
        }
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw malformed(file, where + " has a shape entry that is not an integer: " + shapeNode);
            }
            dims[i] = d.longValue();
        }
        String shapeText = Arrays.toString(dims);
        long elements = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new CheckpointException(file + ": " + where + " has a negative dimension in shape " + shapeText);
            }
            elements = d == 0 || elements == 0 ? 0 : multiplyCapped(elements, d);
        }
        if (elements > Integer.MAX_VALUE) {
            throw new CheckpointException(file + ": " + where + " has shape " + shapeText
                    + ", more than " + Integer.MAX_VALUE + " values, too large for Ballast");
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            // A dim can exceed int only when another dim is 0 (an empty tensor); Ballast cannot hold it.
            shape[i] = (int) dims[i];
            if (shape[i] != dims[i]) {
                throw new CheckpointException(file + ": " + where + " has a dimension too large for Ballast in shape " + shapeText);
            }
        }

        if (!offsetsNode.isArray() || offsetsNode.size() != 2
                || !offsetsNode.get(0).isIntegralNumber() || !offsetsNode.get(0).canConvertToLong()
                || !offsetsNode.get(1).isIntegralNumber() || !offsetsNode.get(1).canConvertToLong()
                || offsetsNode.get(0).longValue() < 0 || offsetsNode.get(1).longValue() < 0) {
            throw malformed(file, where + " needs data_offsets [begin, end] of two non-negative integers, not " + offsetsNode);
        }
        long begin = offsetsNode.get(0).longValue();
        long end = offsetsNode.get(1).longValue();
        if (begin > end) {
            throw new CheckpointException(file + ": " + where + " has data_offsets [" + begin + ", " + end
                    + "] whose begin is after its end");
        }
        long needed = elements * dtype.size;
        if (end - begin != needed) {
            throw new CheckpointException(file + ": " + where + " has " + (end - begin) + " bytes in data_offsets ["
                    + begin + ", " + end + ") but shape " + shapeText + " of " + dtype + " needs " + needed);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Tensors must tile the data section exactly: from 0, no gaps, no overlaps, nothing left over. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) {
        for (Entry e : entries) {
            if (e.end() > dataLength) {
                throw new CheckpointException(file + " is truncated: tensor '" + e.name() + "' needs bytes ["
                        + e.begin() + ", " + e.end() + ") of the data section but it has only " + dataLength);
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw new CheckpointException(file + ": tensors '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ") and '" + e.name() + "' [" + e.begin() + ", " + e.end() + ") overlap");
            }
            if (e.begin() > covered) {
                throw new CheckpointException(file + ": bytes [" + covered + ", " + e.begin()
                        + ") of the data section before tensor '" + e.name() + "' belong to no tensor");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataLength) {
            throw new CheckpointException(file + ": bytes [" + covered + ", " + dataLength
                    + ") at the end of the data section belong to no tensor");
        }
    }

    private static JsonNode required(Path file, String where, JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw malformed(file, where + " has no \"" + key + "\"");
        }
        return value;
    }

    /** a*b, or Long.MAX_VALUE when that overflows (the caller only needs "too large"). */
    private static long multiplyCapped(long a, long b) {
        long product = a * b;
        return Math.multiplyHigh(a, b) != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static CheckpointException malformed(Path file, String what) {
        return new CheckpointException(file + " has a malformed safetensors header: " + what);
    }
}
