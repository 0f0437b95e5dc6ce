package dev.ballast.engine.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * Reads a number for a config field where an explicit 0 is refused and "not given" is null, but files
 * written by earlier releases hold 0 for "not given" ({@code steps} and {@code epochs} of a language model's
 * {@code training} block, {@code validation} and {@code clip_value} of a forecaster's {@code config}):
 * 0 reads as null, anything else as the number. Put it on the builder setter the JSON goes through:
 * {@code @JsonDeserialize(using = ZeroIsUnset.AsLong.class)}.
 */
public final class ZeroIsUnset {

    private ZeroIsUnset() {
    }

    /** For a {@code Long} field. */
    public static final class AsLong extends StdDeserializer<Long> {
        private static final long serialVersionUID = 1L;

        public AsLong() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            long v = _parseLongPrimitive(p, ctxt);
            return v == 0 ? null : v;
        }
    }

    /** For an {@code Integer} field. */
    public static final class AsInt extends StdDeserializer<Integer> {
        private static final long serialVersionUID = 1L;

        public AsInt() {
            super(Integer.class);
        }

        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            int v = _parseIntPrimitive(p, ctxt);
            return v == 0 ? null : v;
        }
    }

    /** For a {@code Double} field. */
    public static final class AsDouble extends StdDeserializer<Double> {
        private static final long serialVersionUID = 1L;

        public AsDouble() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            double v = _parseDoublePrimitive(p, ctxt);
            return v == 0 ? null : v;
        }
    }
}
