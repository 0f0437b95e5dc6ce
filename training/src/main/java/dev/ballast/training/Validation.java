package dev.ballast.training;

import java.util.Map;

/**
 * What a validation pass measured. The trainer keeps the checkpoint with the lowest {@link #loss()} as the
 * best one and writes {@link #metrics()} into the checkpoint's model file.
 */
public interface Validation {

    /** The number to minimise (mean loss on the validation data). */
    double loss();

    /** Named metrics for the model file, {@code val_}-prefixed by the caller. */
    Map<String, Number> metrics();

    /** One line for people, e.g. "loss 1.6858 nats/token, perplexity 5.397, 2.4320 bits/token". */
    default String summary() {
        return String.format(java.util.Locale.ROOT, "loss %.4f", loss());
    }
}
