package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One forecast in the series' units: the point forecast for h = 1..H, and the prediction interval around
 * it when the model was saved with calibrated intervals ({@code lower} and {@code upper} null otherwise).
 *
 * @param level the interval's coverage, e.g. 0.9 (NaN without intervals)
 */
public record Forecast(double[] forecast, double[] lower, double[] upper, double level) {

    public boolean hasIntervals() {
        return lower != null;
    }

    /** {@code {"forecast": [...], "lower": [...], "upper": [...], "level": 0.9}}, the last three when known. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        fill(n.putArray("forecast"), forecast);
        if (hasIntervals()) {
            fill(n.putArray("lower"), lower);
            fill(n.putArray("upper"), upper);
            n.put("level", level);
        }
        return n;
    }

    private static void fill(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(v);
        }
    }
}
