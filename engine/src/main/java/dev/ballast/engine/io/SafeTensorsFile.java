package dev.ballast.engine.io;

import java.util.Map;

/**
 * The content of a safetensors file as read by {@link SafeTensors#read}: tensors by name (their values
 * converted to float), the string metadata, and the dtype each tensor is stored as in the file ("F32",
 * "F16", ...), all {@link java.util.LinkedHashMap}s in the order the file's header lists them.
 */
public record SafeTensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata,
                              Map<String, String> dtypes) {
}
