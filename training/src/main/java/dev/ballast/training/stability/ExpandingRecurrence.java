package dev.ballast.training.stability;

import dev.ballast.engine.math.SpectralNorm;

import dev.ballast.engine.nn.RecurrentLayer;

import java.util.List;

/**
 * Finds and removes the cause of exploding gradients in a vanilla RNN. Gradients through h_t = f(W h_{t-1} + ...)
 * can explode only when the largest singular value of W exceeds 1/γ, γ the bound on f' (Pascanu, Mikolov &amp;
 * Bengio 2013, §2.1; γ = 1 for tanh and ReLU). So when the gradient norm is over {@code factor} times the clip
 * for {@value #STREAK} steps in a row and a recurrent matrix has a spectral norm above {@code bound}, that
 * matrix is divided by its spectral norm (to 1), where a lower learning rate would only slow the damage.
 * LSTM layers are left alone: their gates, not the spectral norm, bound the state.
 */
public final class ExpandingRecurrence {

    /** Consecutive steps with the gradient norm far above the clip that count as exploding. */
    static final int STREAK = 5;

    private final double factor;
    private final double bound; // 0 = off
    private final List<RecurrentLayer> layers;
    private int streak;

    /**
     * @param factor the {@code --clip-alarm-factor}: how far above the clip counts as exploding
     * @param bound  the {@code --recurrent-bound}: spectral norms above it are rescaled; 0 turns the rule off
     */
    public ExpandingRecurrence(double factor, double bound, List<RecurrentLayer> layers) {
        this.factor = factor;
        this.bound = bound;
        this.layers = layers;
    }

    /** Records one healthy step's gradient norm before clipping and the clip threshold (NaN: none). */
    public void accept(double normBefore, double threshold) {
        streak = threshold > 0 && normBefore > factor * threshold ? streak + 1 : 0;
    }

    /** The first layer to rescale now (the gradient explodes and its matrix is above the bound), or -1. */
    public int due() {
        if (bound == 0 || streak < STREAK) {
            return -1;
        }
        for (int l = 0; l < layers.size(); l++) {
            if (spectralOf(layers.get(l)) > bound) {
                return l;
            }
        }
        return -1;
    }

    /** Divides every vanilla-RNN recurrent matrix above the bound by its spectral norm; returns the largest seen. */
    public double rescale() {
        double largest = 0;
        for (RecurrentLayer layer : layers) {
            double sigma = spectralOf(layer);
            if (sigma > bound) {
                largest = Math.max(largest, sigma);
                float[] w = layer.wRecurrent().value();
                for (int i = 0; i < w.length; i++) {
                    w[i] /= (float) sigma;
                }
            }
        }
        streak = 0;
        return largest;
    }

    /** The spectral norm of a vanilla RNN's recurrent matrix (H, H); NaN for an LSTM. */
    private static double spectralOf(RecurrentLayer layer) {
        if (layer.cell().gates() != 1) {
            return Double.NaN;
        }
        int h = layer.hiddenSize();
        return SpectralNorm.of(layer.wRecurrent().value(), 0, h, h, h, StabilityMonitor.POWER_ITERATIONS);
    }

    /** Consecutive exploding steps so far: checkpointed, it decides when the rule fires. */
    public int streak() {
        return streak;
    }

    public void restore(int streak) {
        this.streak = streak;
    }
}
