package dev.ballast.lm;

import dev.ballast.engine.InputException;
import dev.ballast.engine.ResourceLimits;
import dev.ballast.engine.io.CheckpointException;
import dev.ballast.engine.nn.CellType;

/**
 * The size of a language model and what training or loading it takes, worked out in {@code long}
 * arithmetic from its shape before any array is allocated, and checked through {@link ResourceLimits}:
 * every weight matrix and per-window array must fit a Java array, and the estimate must fit the heap.
 *
 * <pre>{@code
 * ModelSize.checkTraining(config, vocabularySize);   // in LanguageModelTask.start, before the model exists
 * ModelSize.checkLoading("runs/a/model.json", modelConfig);
 * }</pre>
 */
public final class ModelSize {

    static final String TRAIN_REMEDY = "lower --hidden, --layers, --embed, --batch or --seq";

    private ModelSize() {
    }

    /** Parameters of a model of this shape (as {@link LanguageModel#parameterCount()} counts them). */
    public static long parameters(CellType cell, long vocab, long embed, long hidden, long layers, boolean tied) {
        ResourceLimits.arraySize("embedding.weight (vocabulary " + vocab + " x --embed " + embed + ")", "lower --embed", vocab, embed);
        long p = ResourceLimits.multiplyOrMax(vocab, embed);
        p = ResourceLimits.addOrMax(p, ResourceLimits.recurrentParameters(cell.gates(), embed, hidden, layers, "lower --embed or --hidden"));
        if (!tied) {
            ResourceLimits.arraySize("output.weight (--hidden " + hidden + " x vocabulary " + vocab + ")", "lower --hidden",
                    hidden, vocab);
            p = ResourceLimits.addOrMax(p, ResourceLimits.multiplyOrMax(hidden, vocab));
        }
        return ResourceLimits.addOrMax(p, vocab);
    }

    /**
     * Floats of work space for {@code batch} streams of {@code seq} steps: each layer's gate
     * pre-activations and their gradients, states and cells, the logits and their gradients, and the
     * first layer's per-token projection table. Each must fit an array.
     */
    static long activations(CellType cell, long vocab, long embed, long hidden, long layers, long seq, long batch) {
        long gh = ResourceLimits.multiplyOrMax(cell.gates(), hidden);
        ResourceLimits.arraySize("the logits (--seq " + seq + " x --batch " + batch + " x vocabulary " + vocab + ")", "lower --seq or --batch", seq, batch, vocab);
        ResourceLimits.arraySize("the gate activations (--seq " + seq + " x --batch " + batch + " x " + cell.gates()
                + " x --hidden " + hidden + ")", "lower --seq, --batch or --hidden", seq, batch, gh);
        ResourceLimits.arraySize("the per-token projection (vocabulary " + vocab + " x " + cell.gates() + " x --hidden "
                + hidden + ")", "lower --hidden", vocab, gh);
        long tb = ResourceLimits.multiplyOrMax(seq, batch);
        long perLayer = ResourceLimits.multiplyOrMax(tb, ResourceLimits.addOrMax(ResourceLimits.multiplyOrMax(2, gh),
                ResourceLimits.multiplyOrMax(6, hidden)));
        long total = ResourceLimits.multiplyOrMax(perLayer, layers);
        total = ResourceLimits.addOrMax(total, ResourceLimits.multiplyOrMax(tb, ResourceLimits.multiplyOrMax(2, vocab)));
        total = ResourceLimits.addOrMax(total, ResourceLimits.multiplyOrMax(tb, embed));
        return ResourceLimits.addOrMax(total, ResourceLimits.multiplyOrMax(vocab, gh));
    }

    /**
     * Before a new run allocates its model: the thread count, every array's size and the memory
     * training needs against the heap.
     */
    public static void checkTraining(TrainingConfig c, int vocab) {
        ResourceLimits.checkThreads("--threads", c.threads());
        CellType cell = c.cell();
        long p = parameters(cell, vocab, c.embed(), c.hidden(), c.layers(), c.tieWeights());
        long a = activations(cell, vocab, c.embed(), c.hidden(), c.layers(), c.seq(),
                Math.max(c.batch(), c.evalBatch()));
        ResourceLimits.checkHeap("the model (" + String.format(java.util.Locale.ROOT, "%,d", p) + " parameters)",
                ResourceLimits.trainingBytes(p, a), TRAIN_REMEDY);
    }

    /**
     * Before a saved model is allocated: sizes from {@code source} (a model.json) that overflow an array
     * or do not fit the heap are one line naming the file and the field.
     */
    public static void checkLoading(String source, ModelConfig m) {
        try {
            long p = parameters(m.cell(), m.vocabSize(), m.embed(), m.hidden(), m.layers(), m.tieWeights());
            long a = activations(m.cell(), m.vocabSize(), m.embed(), m.hidden(), m.layers(), 1, 1);
            ResourceLimits.checkHeap("the model", ResourceLimits.loadingBytes(p, a), "it is too large for this heap;"
                    + " use a machine with more memory");
        } catch (InputException e) {
            throw new CheckpointException(source + ": model (hidden " + m.hidden() + ", embed " + m.embed() + ", layers "
                    + m.layers() + ", vocab_size " + m.vocabSize() + "): " + e.getMessage()
                    .replace("--embed ", "embed ").replace("--hidden ", "hidden ").replace("--seq 1 x --batch 1 x ", "")
                    .replaceAll(": lower [^;]*$", ""));
        }
    }
}
