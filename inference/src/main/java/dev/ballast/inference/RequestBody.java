package dev.ballast.inference;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.engine.io.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON request body checked field by field: only the named fields are allowed, each must have the
 * right type, and every violation is a {@link RequestException} (400) about the field ({@link InputException#field()}).
 */
final class RequestBody {

    /** Jackson's words for a repeated key, from the parser ({@link Json#MAPPER}) or from tree binding. */
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)'(?: for |$)");

    private final JsonNode root;

    private RequestBody(JsonNode root) {
        this.root = root;
    }

    static RequestBody parse(byte[] body, Set<String> allowed) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RequestException(400, "malformed JSON: " + problem(e));
        } catch (java.io.IOException e) {
            throw new RequestException(400, "unreadable body");
        }
        if (root == null || !root.isObject()) {
            throw new RequestException(400, "the body must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new RequestException(400, "unknown field '" + truncate(f) + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
        return new RequestBody(root);
    }

    String requiredString(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new RequestException(400, "missing field '" + field + "'");
        }
        if (!n.isTextual()) {
            throw RequestException.field(field, "must be a string");
        }
        return n.textValue();
    }

    String string(String field, String fallback) {
        return root.has(field) && !root.get(field).isNull() ? requiredString(field) : fallback;
    }

    int integer(String field, int fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw RequestException.field(field, "must be an integer");
        }
        return n.intValue();
    }

    Long longValue(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw RequestException.field(field, "must be an integer");
        }
        return n.longValue();
    }

    double number(String field, double fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw RequestException.field(field, "must be a number");
        }
        return n.doubleValue();
    }

    boolean bool(String field, boolean fallback) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw RequestException.field(field, "must be true or false");
        }
        return n.booleanValue();
    }

    List<String> strings(String field, int maxItems, int maxLength) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw RequestException.field(field, "must be an array of strings");
        }
        if (n.size() > maxItems) {
            throw RequestException.field(field, "has " + n.size() + " items, at most " + maxItems + " allowed");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.textValue().isEmpty() || e.textValue().length() > maxLength) {
                throw RequestException.field(field, "must hold non-empty strings of at most " + maxLength + " characters");
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** The field's array of finite numbers (empty when absent), at most {@code maxItems} of them. */
    double[] numbers(String field, int maxItems) {
        return numbers(field, root.get(field), maxItems);
    }

    static double[] numbers(String field, JsonNode n, int maxItems) {
        if (n == null || n.isNull()) {
            return new double[0];
        }
        if (!n.isArray()) {
            throw RequestException.field(field, "must be an array of numbers");
        }
        if (n.size() > maxItems) {
            throw RequestException.field(field, "has " + n.size() + " items, at most " + maxItems + " allowed");
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                throw RequestException.field(field, "must hold finite numbers; item " + i + " is not one");
            }
            out[i] = e.doubleValue();
        }
        return out;
    }

    /** The field's JSON object, or null when absent. */
    JsonNode object(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw RequestException.field(field, "must be a JSON object");
        }
        return n;
    }

    /** The field's raw value, or null when absent. */
    JsonNode node(String field) {
        return root.get(field);
    }

    boolean has(String field) {
        return root.has(field);
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * Jackson's description of a parse failure in JSON's terms: its messages can name Jackson classes and
     * features ({@code `ObjectNode`}, {@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS}), which a client
     * has no use for.
     */
    static String problem(JsonProcessingException e) {
        String m = shortened(Json.firstLine(e.getOriginalMessage()));
        if (m.startsWith("Trailing token")) {
            return "more data after the JSON value";
        }
        Matcher duplicate = DUPLICATE.matcher(m);
        if (duplicate.find()) {
            return "duplicate field '" + truncate(duplicate.group(1)) + "'";
        }
        for (String tail : new String[] {" (start marker at", " [Source"}) {
            int at = m.indexOf(tail);
            if (at >= 0) {
                m = m.substring(0, at);
            }
        }
        int tick = m.indexOf('`');
        if (tick >= 0) {
            int colon = m.lastIndexOf(": ", tick);
            m = colon > 0 ? m.substring(0, colon) : "not valid JSON";
        }
        return m.isBlank() ? "not valid JSON" : m;
    }

    private static String shortened(String line) {
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
