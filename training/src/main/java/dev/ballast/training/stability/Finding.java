package dev.ballast.training.stability;

/**
 * One plain-language observation about a run, mapped to a warning sign people know.
 *
 * @param severity {@code error} (the run failed or lost steps), {@code warning} (it will likely go wrong),
 *                 {@code info}
 * @param sign     the warning sign, e.g. {@code loss became NaN}, {@code gradients vanish}
 * @param step     the step it refers to (0 when it is about the whole run)
 * @param layer    the layer, or "" for the model as a whole
 * @param message  what was seen
 * @param remedy   what to try
 */
public record Finding(String severity, String sign, long step, String layer, String message, String remedy) {

    /** One line for logs: {@code [warning] step 120, layers.0: ... Try: ...}. */
    public String line() {
        return "[" + severity + "] " + (step > 0 ? "step " + step : "run") + (layer.isEmpty() ? "" : ", " + layer)
                + ": " + message + " Try: " + remedy;
    }
}
