package dev.ballast.training;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.nn.RecurrentState;

import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.Batches;

/**
 * A model and its data as the {@link Trainer} sees them: every kind of model (language model, forecaster)
 * trains through this one small interface, so every kind gets the same loop, checkpoints and stability
 * toolkit. The trainer owns the order of things; the task runs the batch forward and backward.
 *
 * <pre>
 *   batches().epochStartsNext() ... nextBatch(); loss = forward(rng); backward(); (trainer: clip, step)
 * </pre>
 */
public interface TrainingTask {

    /** What kind of model this is, for messages and run files (e.g. "language model", "forecaster"). */
    String kind();

    /** The trainable parameters, always in the same order. */
    List<Parameter> parameters();

    /** The recurrent layers, bottom first: the monitor measures their spectral norms and gate gradients. */
    List<RecurrentLayer> recurrentLayers();

    Kernels kernels();

    /** The data cursor. */
    Batches batches();

    /** The state carried from one batch to the next; {@link RecurrentState#none} when windows are independent. */
    RecurrentState state();

    /** Takes the batch at the cursor and advances it. */
    void nextBatch();

    /** The mean loss of the batch last taken, from the carried state (which it advances); keeps what backward needs. */
    float forward(boolean training, Rng dropout);

    /** Clears every parameter's gradient before a forward. */
    void zeroGrad();

    /** Accumulates every parameter's gradient for the last forward. */
    void backward();

    /**
     * A diagnostic forward and backward on the batch last taken, on a copy of the carried state with a
     * throw-away RNG seeded by {@code step}: runs the forward, calls {@code afterForward} (the monitor reads
     * the gate activations there), then returns the reach-back curves — per layer ‖∂L_T/∂h_{T−k}‖ for
     * k = 0 .. window−1, or null when the model does not measure them — and clears the gradients.
     */
    float[][] reachBack(long step, Runnable afterForward);

    /** Scores the validation data. */
    Validation validate();

    /** A sample of the model's output to show at a validation (text for a language model); null for none. */
    String sample(long step);

    /** Writes the model files of a checkpoint into {@code dir} with the given metrics. */
    void saveModel(Path dir, ObjectNode metrics);

    /** Data totals for the start-of-run summary: training and validation predictions, unknown tokens. */
    default long trainSize() {
        return 0;
    }

    default long validSize() {
        return 0;
    }

    default long validUnknown() {
        return 0;
    }

    /** Output classes (vocabulary) or values per step. */
    int outputs();

    /** Words for a remedy in a diverged message, e.g. "--lr (now 0.002)". */
    default String remedy(TrainerSettings settings) {
        return "Try a lower --lr (now " + settings.lr() + ") or a smaller --clip-norm.";
    }
}
