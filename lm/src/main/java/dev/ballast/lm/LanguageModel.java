package dev.ballast.lm;

import dev.ballast.engine.nn.InitScheme;

import dev.ballast.engine.nn.RecurrentState;

import dev.ballast.engine.nn.Buffers;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.Embedding;
import dev.ballast.engine.nn.Initialization;
import dev.ballast.engine.nn.Linear;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.nn.RecurrentStack;
import dev.ballast.engine.nn.SoftmaxCrossEntropy;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A recurrent language model: embedding, N stacked recurrent layers (each followed by dropout when
 * {@code dropout > 0}, on the non-recurrent connections only, as in Zaremba et al. 2014), a linear
 * projection to the vocabulary and the softmax cross-entropy. With {@link ModelConfig#residual()}, each
 * layer l &gt;= 1 passes on {@code dropout(h_l) + x_l} (its input added back), so the gradient reaches the
 * lower layers through the identity as well as through the recurrence.
 *
 * <p>All sequences are time-major: token t of stream b is {@code x[t * batch + b]}. The
 * {@link RecurrentState} passed in holds the state at the start of the window and is overwritten
 * with the state at its end, so consecutive windows of a stream continue each other.
 *
 * <pre>{@code
 * LanguageModel model = new LanguageModel(new ModelConfig(CellType.LSTM, 65, 64, 256, 2, 0f), KernelProvider.best(0));
 * model.initialize(new Rng(42));
 * RecurrentState state = model.config().newState(batch);
 * model.zeroGrad();
 * float loss = model.forward(x, y, steps, batch, state, true, dropoutRng);
 * model.backward(); // gradients now in model.parameters().get(i).grad()
 * }</pre>
 *
 * <p>Buffers are sized for the largest (steps, batch) seen and reused, so after the first window
 * forward and backward allocate nothing.
 */
public final class LanguageModel {

    private final ModelConfig config;
    private final Embedding embedding;
    private final RecurrentStack stack;
    private final List<RecurrentLayer> layers; // the stack's
    private final Linear output;
    private final SoftmaxCrossEntropy loss;
    private final List<Parameter> parameters;

    // Buffers for the largest window seen; rows = steps * batch.
    private float[] embedded;   // (rows, E); not filled when the last window was embeddingFolded
    private boolean embeddingFolded; // layer 0 of the last window ran forwardEmbedded
    private InputCache inputCache;   // set for the duration of a logits call that was given one
    private Kernels kernels;
    private float[] logits;     // (rows, V)
    private float[] gradEmbedded; // (rows, E), the gradient at the embedded input when layer 0 reads it densely
    private int[] window;       // the tokens of the last forward (the caller's; not copied), for layer 0's own ways
    private int[] tokens;       // (rows) copy of x of the last training forward
    private int steps;
    private int batch;
    private boolean backwardReady;

    public LanguageModel(ModelConfig config, Kernels kernels) {
        this.config = config;
        this.kernels = kernels;
        int h = config.hidden();
        this.embedding = new Embedding(config.vocabSize(), config.embed());
        this.stack = new RecurrentStack(config.cell(), config.embed(), h, config.layers(), config.dropout(),
                config.residual(), kernels);
        this.layers = stack.layers();
        this.loss = new SoftmaxCrossEntropy(kernels);
        this.output = config.tieWeights()
                ? Linear.tiedTo(embedding.weight(), "output", kernels)
                : new Linear("output", h, config.vocabSize(), Parameter.Kind.OUTPUT_WEIGHT, kernels);
        List<Parameter> ps = new ArrayList<>();
        ps.add(embedding.weight());
        ps.addAll(stack.parameters());
        if (!output.isTied()) {
            ps.add(output.weight());
        }
        ps.add(output.bias());
        this.parameters = Collections.unmodifiableList(ps);
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * embedding.weight, then layers.{i}.w_input, layers.{i}.w_recurrent, layers.{i}.bias for each
     * layer, then output.weight, output.bias; always in this order. A tied model has no
     * output.weight (the embedding serves both).
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    /** The recurrent layers, bottom first. */
    public List<RecurrentLayer> layers() {
        return layers;
    }

    /** The kernels the model computes with. */
    public Kernels kernels() {
        return kernels;
    }

    public void setKernels(Kernels kernels) {
        this.kernels = kernels;
        stack.setKernels(kernels);
        output.setKernels(kernels);
        loss.setKernels(kernels);
    }

    /**
     * {@link #initialize(Rng, Initialization)} with {@link Initialization#DEFAULT}. A tied embedding is
     * drawn like the output weights it doubles as, U(-1/sqrt(H), 1/sqrt(H)): N(0, 1) rows would make
     * the first logits of order sqrt(H) and the initial loss far above log V.
     */
    public void initialize(Rng rng) {
        initialize(rng, Initialization.DEFAULT);
    }

    /**
     * Initializes every parameter as PyTorch does for nn.Embedding / nn.Linear; recurrent weights
     * and biases as {@code init} says (see {@link Initialization}), plus {@code init.forgetBias()}
     * on the LSTM forget gate.
     */
    public void initialize(Rng rng, Initialization init) {
        int h = config.hidden();
        float k = (float) (1.0 / Math.sqrt(h));
        float[] emb = embedding.weight().value();
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) rng.nextGaussian(); // N(0, 1) like nn.Embedding
        }
        if (config.tieWeights()) {
            Initialization.uniform(emb, k, rng);
        }
        init.apply(layers, rng);
        if (!output.isTied()) {
            Initialization.uniform(output.weight().value(), k, rng);
        }
        Initialization.uniform(output.bias().value(), k, rng);
    }

    /**
     * One window: returns the mean cross-entropy over {@code steps * batch} tokens. With
     * {@code training}, dropout is applied (masks drawn from {@code dropoutRng}) and what
     * {@link #backward()} needs is kept.
     *
     * @param x     (steps, batch) time-major input token ids
     * @param y     (steps, batch) time-major target token ids
     * @param state initial state on entry, final state on return
     */
    public float forward(int[] x, int[] y, int steps, int batch, RecurrentState state, boolean training, Rng dropoutRng) {
        int rows = steps * batch;
        checkTokens(y, rows, "y");
        if (training && config.dropout() > 0f && dropoutRng == null) {
            throw new IllegalArgumentException("training with dropout needs a dropout Rng");
        }
        run(x, steps, batch, state, training, dropoutRng);
        float mean = loss.forward(logits, y, rows, config.vocabSize());
        backwardReady = training;
        if (training) {
            tokens = Buffers.ensure(tokens, rows);
            System.arraycopy(x, 0, tokens, 0, rows);
        }
        return mean;
    }

    /**
     * Accumulates into each {@link Parameter#grad()} the gradient of the mean loss of the last
     * training {@link #forward}. Truncated BPTT: nothing flows into the window's initial state.
     */
    public void backward() {
        backward(false);
    }

    /**
     * Diagnostics for vanishing gradients: back-propagates the loss of the LAST time step of the last
     * training {@link #forward} only, and returns per layer (bottom first) the norm of
     * dL_T/dh_t for t in [0, T): how much of the final step's error still reaches k = T-1-t steps back.
     * Accumulates into the gradients like {@link #backward()}; the caller zeroes them afterwards.
     */
    public float[][] reachBack() {
        float[][] curves = new float[layers.size()][steps];
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).traceGradients(curves[l]);
        }
        try {
            backward(true);
        } finally {
            for (RecurrentLayer layer : layers) {
                layer.traceGradients(null);
            }
        }
        return curves;
    }

    private void backward(boolean lastStepOnly) {
        if (!backwardReady) {
            throw new IllegalStateException("backward needs a training forward first (and nothing in between)");
        }
        backwardReady = false;
        int rows = steps * batch;
        float[] dLogits = loss.gradient(); // written by the loss's forward
        if (lastStepOnly) {
            Arrays.fill(dLogits, 0, (steps - 1) * batch * config.vocabSize(), 0f);
        }
        output.backward(stack.output(), stack.outputOffset(), dLogits, rows, stack.outputGradient());
        if (embeddingFolded) {
            stack.backward(null, foldedLayer0); // the embedding's gradient is in already
        } else {
            gradEmbedded = Buffers.ensure(gradEmbedded, rows * config.embed());
            stack.backward(gradEmbedded, null);
            embedding.backward(tokens, rows, gradEmbedded);
        }
    }

    public void zeroGrad() {
        for (Parameter p : parameters) {
            float[] g = p.grad();
            // millions of floats for the word model's embedding and output layer: both threads clear
            kernels.forEachRange(g.length, 1 << 15, (from, to) -> Arrays.fill(g, from, to, 0f));
        }
    }

    /** Evaluation: the summed cross-entropy (double) over the window, without dropout; carries the state. */
    public double lossSum(int[] x, int[] y, int steps, int batch, RecurrentState state) {
        checkTokens(y, steps * batch, "y");
        run(x, steps, batch, state, false, null);
        backwardReady = false;
        return loss.sum(logits, y, steps * batch, config.vocabSize());
    }

    /** Evaluation: writes the raw logits (steps * batch, V) into {@code out}, without dropout; carries the state. */
    public void logits(int[] x, int steps, int batch, RecurrentState state, float[] out) {
        logits(x, steps, batch, state, out, null);
    }

    /**
     * {@link #logits(int[], int, int, RecurrentState, float[])} taking layer 0's input projection of
     * each token from {@code cache} (filled on a token's first use; may be null): the same bits.
     */
    public void logits(int[] x, int steps, int batch, RecurrentState state, float[] out, InputCache cache) {
        int need = steps * batch * config.vocabSize();
        if (out.length < need) {
            throw new IllegalArgumentException("logits buffer holds " + out.length + " floats, needs " + need);
        }
        if (cache != null && cache.owner != this) {
            throw new IllegalArgumentException("the input cache belongs to another model");
        }
        inputCache = cache;
        try {
            run(x, steps, batch, state, false, null);
        } finally {
            inputCache = null;
        }
        backwardReady = false;
        System.arraycopy(logits, 0, out, 0, need);
    }

    /**
     * Layer 0's input projection (bias + embedding row x W_input) per vocabulary entry, each row
     * computed on its token's first use, for generation: at 65 characters and 4H = 1,024 a cached row
     * replaces a 1x1024x64 product per generated token. It is only valid while the weights stay as
     * they were: make one per generation run (or per loaded, frozen model).
     */
    public static final class InputCache {
        private final LanguageModel owner;
        private final float[] rows;
        private final boolean[] filled;

        private InputCache(LanguageModel owner, int vocab, int width) {
            this.owner = owner;
            this.rows = new float[vocab * width];
            this.filled = new boolean[vocab];
        }
    }

    /** Caches above this many floats are not worth their memory and first-use cost (word models). */
    private static final int INPUT_CACHE_MAX_FLOATS = 1 << 20;

    /** A new, empty {@link InputCache}, or null when the vocabulary times 4H is too large to cache. */
    public InputCache newInputCache() {
        long size = (long) config.vocabSize() * config.cell().gates() * config.hidden();
        return size <= INPUT_CACHE_MAX_FLOATS
                ? new InputCache(this, config.vocabSize(), config.cell().gates() * config.hidden()) : null;
    }

    /** Layer 0 from the input cache: projects the tokens not seen yet, then runs on the cached rows. */
    private void runLayer0Cached(int[] x, int rows, float[] h0, float[] c0) {
        InputCache cache = inputCache;
        RecurrentLayer layer = layers.get(0);
        int e = config.embed();
        int width = config.cell().gates() * config.hidden();
        float[] table = embedding.weight().value();
        for (int r = 0; r < rows; r++) {
            int tok = x[r];
            if (!cache.filled[tok]) {
                layer.projectInput(table, tok * e, 1, cache.rows, tok * width);
                cache.filled[tok] = true;
            }
        }
        layer.forwardProjected(x, cache.rows, steps, batch, h0, c0);
    }

    // x: (T, B) -> logits: (T*B, V); state in/out
    private void run(int[] x, int steps, int batch, RecurrentState state, boolean training, Rng rng) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be at least 1, got " + steps + " and " + batch);
        }
        int rows = steps * batch;
        checkTokens(x, rows, "x");
        if (state.batch() != batch || state.layers() != layers.size()) {
            throw new IllegalArgumentException("state is for batch " + state.batch() + " and " + state.layers()
                    + " layers, the window has batch " + batch + " and the model " + layers.size() + " layers");
        }
        this.steps = steps;
        this.batch = batch;
        int e = config.embed();
        int h = config.hidden();
        embedded = Buffers.ensure(embedded, rows * e);
        logits = Buffers.ensure(logits, rows * config.vocabSize());

        // With fewer vocabulary entries than tokens in the window (the char models: 65 against 2,048),
        // layer 0 projects each embedding row once instead of each token's copy of it; same forward bits.
        embeddingFolded = config.vocabSize() < rows;
        boolean cached = inputCache != null && !training;
        if (embeddingFolded || cached) {
            embedding.check(x, rows);
        } else {
            embedding.forward(x, rows, embedded);
        }
        window = x;
        RecurrentStack.FirstLayer first = cached ? cachedLayer0 : embeddingFolded ? foldedLayer0 : null;
        stack.forward(embedded, 0, steps, batch, state, training, rng, first);
        output.forward(stack.output(), stack.outputOffset(), rows, logits);
    }

    /** Layer 0 reading each vocabulary row's projection once (fewer entries than tokens in the window). */
    private final RecurrentStack.FirstLayer foldedLayer0 = new RecurrentStack.FirstLayer() {
        @Override
        public void forward(RecurrentLayer layer, int steps, int batch, float[] h, float[] c) {
            layer.forwardEmbedded(window, embedding.weight().value(), config.vocabSize(), steps, batch, h, c);
        }

        @Override
        public void backward(RecurrentLayer layer, float[] dH) {
            layer.backwardEmbedded(tokens, embedding.weight().value(), config.vocabSize(), dH,
                    embedding.weight().grad());
        }
    };

    /** Layer 0 from the generation cache of input projections (inference only: no backward). */
    private final RecurrentStack.FirstLayer cachedLayer0 = new RecurrentStack.FirstLayer() {
        @Override
        public void forward(RecurrentLayer layer, int steps, int batch, float[] h, float[] c) {
            runLayer0Cached(window, steps * batch, h, c);
        }

        @Override
        public void backward(RecurrentLayer layer, float[] dH) {
            throw new IllegalStateException("a cached forward has no backward");
        }
    };

    private static void checkTokens(int[] ids, int rows, String name) {
        if (ids.length < rows) {
            throw new IllegalArgumentException(name + " holds " + ids.length + " tokens, the window needs " + rows);
        }
    }
}
