package dev.ballast.engine.io;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper for the files Ballast reads and writes. Strict on input, because these files are
 * written by programs and a duplicate key or trailing junk means a damaged file, not a choice to guess at.
 */
public final class Json {

    /** Duplicate keys and junk after the JSON value are errors, not silently ignored. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }
}
