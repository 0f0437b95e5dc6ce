package dev.ballast.engine.optim;

import dev.ballast.engine.InputException;

/**
 * Parses the {@code --lr-schedule} spec:
 * <ul>
 *   <li>{@code constant}</li>
 *   <li>{@code step:EVERY:GAMMA}, e.g. {@code step:1000:0.5}</li>
 *   <li>{@code plateau[:FACTOR[:PATIENCE]]}, defaults 0.5 and 2 (min lr 0, threshold 1e-4)</li>
 *   <li>{@code cosine[:WARMUP]}, default warm-up 0, decaying to 0 at {@code totalSteps}</li>
 * </ul>
 * Every error names the spec and what is wrong, e.g.
 * {@code invalid --lr-schedule 'step:x': EVERY must be a positive integer}.
 *
 * <pre>{@code
 * LearningRateSchedule s = Schedules.parse("step:1000:0.5", 0.1f, 20_000);
 * }</pre>
 */
public final class Schedules {

    static final String CHOICES = "constant, step:EVERY:GAMMA, plateau[:FACTOR[:PATIENCE]], cosine[:WARMUP]";

    private Schedules() {
    }

    /**
     * @param lr         the base rate ({@code --lr})
     * @param totalSteps updates in the whole run; only {@code cosine} needs it (&gt; 0)
     */
    public static LearningRateSchedule parse(String spec, float lr, long totalSteps) {
        if (spec == null || spec.isBlank()) {
            throw InputException.naming("invalid {lr_schedule} '" + spec + "': empty (choose " + CHOICES + ")");
        }
        String[] parts = spec.split(":", -1);
        try {
            return switch (parts[0]) {
                case "constant" -> {
                    atMost(parts, 0, "constant");
                    yield new ConstantSchedule(lr);
                }
                case "step" -> {
                    String form = "step:EVERY:GAMMA";
                    atMost(parts, 2, form);
                    long every = positiveLong(required(parts, 1, form), "EVERY");
                    yield new StepDecaySchedule(lr, every, number(required(parts, 2, form), "GAMMA"));
                }
                case "plateau" -> {
                    atMost(parts, 2, "plateau[:FACTOR[:PATIENCE]]");
                    double factor = parts.length > 1 ? number(parts[1], "FACTOR") : 0.5;
                    int patience = parts.length > 2 ? positiveInt(parts[2], "PATIENCE") : 2;
                    yield new ReduceOnPlateauSchedule(lr, factor, patience, 0f,
                            ReduceOnPlateauSchedule.DEFAULT_THRESHOLD);
                }
                case "cosine" -> {
                    atMost(parts, 1, "cosine[:WARMUP]");
                    long warmup = parts.length > 1 ? nonNegativeLong(parts[1], "WARMUP") : 0;
                    yield new CosineSchedule(lr, warmup, totalSteps, 0f);
                }
                default -> throw new IllegalArgumentException("unknown schedule '" + parts[0] + "' (choose "
                        + CHOICES + ")");
            };
        } catch (InputException e) {
            throw e; // about the rate, not the spec
        } catch (IllegalArgumentException e) {
            throw InputException.naming("invalid {lr_schedule} '" + spec + "': " + e.getMessage());
        }
    }

    private static void atMost(String[] parts, int max, String form) {
        if (parts.length - 1 > max) {
            throw new IllegalArgumentException("too many parameters, expected " + form);
        }
    }

    private static String required(String[] parts, int index, String form) {
        if (index >= parts.length) {
            throw new IllegalArgumentException("missing parameters, expected " + form);
        }
        return parts[index];
    }

    private static double number(String text, String field) {
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message naming the field
        }
        throw new IllegalArgumentException(field + " must be a number, got '" + text + "'");
    }

    private static long positiveLong(String text, String field) {
        long value = parseLong(text, field + " must be a positive integer");
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be a positive integer");
        }
        return value;
    }

    private static int positiveInt(String text, String field) {
        long value = positiveLong(text, field);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be at most " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    private static long nonNegativeLong(String text, String field) {
        long value = parseLong(text, field + " must be a non-negative integer");
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be a non-negative integer");
        }
        return value;
    }

    private static long parseLong(String text, String message) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(message);
        }
    }
}
