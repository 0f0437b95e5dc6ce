package dev.ballast.trainer.stability;

import dev.ballast.trainer.nn.LanguageModel;
import dev.ballast.trainer.nn.RecurrentLayer;

import java.util.List;

/**
 * Initialisation choices for the recurrent matrices, applied after {@link LanguageModel#initialize}
 * (which already makes each gate block orthogonal and sets the LSTM forget bias to 1):
 * <ul>
 *   <li>{@code orthogonal} (default): keep the orthogonal blocks, multiplied by {@code scale};</li>
 *   <li>{@code identity}: every gate block becomes {@code scale * I} — the IRNN of Le, Jaitly &amp; Hinton 2015,
 *       "A Simple Way to Initialize Recurrent Networks of Rectified Linear Units", which lets a ReLU RNN
 *       carry its state (and its gradient) unchanged until it learns otherwise.</li>
 * </ul>
 * A scale below 1 starts the recurrence contracting (safe from exploding, prone to vanishing), above 1
 * expanding.
 */
public final class RecurrentInit {

    public static final List<String> CHOICES = List.of("orthogonal", "identity");

    private RecurrentInit() {
    }

    /** Checks a user's choice; the message names the flag. */
    public static void validate(String init, double scale) {
        if (!CHOICES.contains(init)) {
            throw new IllegalArgumentException("--init must be one of " + String.join(", ", CHOICES) + ", got " + init);
        }
        if (!(scale > 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException("--init-scale must be a positive number, got " + scale);
        }
    }

    public static void apply(LanguageModel model, String init, double scale) {
        validate(init, scale);
        if (init.equals("orthogonal") && scale == 1) {
            return;
        }
        for (RecurrentLayer layer : model.layers()) {
            float[] w = layer.wRecurrent().value(); // (H, G*H)
            int h = layer.hiddenSize();
            int cols = layer.cell().gates() * h;
            if (init.equals("identity")) {
                java.util.Arrays.fill(w, 0f);
                for (int g = 0; g < layer.cell().gates(); g++) {
                    for (int i = 0; i < h; i++) {
                        w[i * cols + g * h + i] = (float) scale;
                    }
                }
            } else {
                for (int i = 0; i < w.length; i++) {
                    w[i] *= (float) scale;
                }
            }
        }
    }
}
