package dev.ballast.engine.io;

import java.util.Map;

/**
 * The content of a safetensors file as read by {@link SafeTensors#read}: tensors by name and the string
 * metadata, both {@link java.util.LinkedHashMap}s in the order the file's header lists them.
 */
public record SafeTensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata) {
}
