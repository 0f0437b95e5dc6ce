package dev.ballast.lm;

import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.nn.RecurrentState;
import dev.ballast.training.TrainingTask;

import java.util.List;

/**
 * What every language-model task shares: the model run over (seq, batch) windows of token ids, time-major,
 * with the hidden state carried from one window to the next. Subclasses decide where the windows come
 * from ({@link #nextBatch} fills {@link #x} and {@link #y}), how to validate and how to save.
 */
public abstract class TokenWindowTask implements TrainingTask {

    protected final LanguageModel model;
    protected final RecurrentState state;
    protected final int seq;
    protected final int batch;
    /** The current window's inputs and targets, (seq, batch) time-major. */
    protected final int[] x;
    protected final int[] y;

    protected TokenWindowTask(LanguageModel model, int seq, int batch) {
        this.model = model;
        this.seq = seq;
        this.batch = batch;
        this.state = model.config().newState(batch);
        this.x = new int[seq * batch];
        this.y = new int[seq * batch];
    }

    public LanguageModel model() {
        return model;
    }

    @Override
    public List<Parameter> parameters() {
        return model.parameters();
    }

    @Override
    public List<RecurrentLayer> recurrentLayers() {
        return model.layers();
    }

    @Override
    public Kernels kernels() {
        return model.kernels();
    }

    @Override
    public RecurrentState state() {
        return state;
    }

    @Override
    public void zeroGrad() {
        model.zeroGrad();
    }

    @Override
    public float forward(boolean training, Rng dropout) {
        return model.forward(x, y, seq, batch, state, training, dropout);
    }

    @Override
    public void backward() {
        model.backward();
    }

    @Override
    public float[][] reachBack(long step, Runnable afterForward) {
        RecurrentState copy = state.copy();
        model.zeroGrad();
        model.forward(x, y, seq, batch, copy, true, new Rng(step));
        afterForward.run();
        float[][] curves = model.reachBack();
        model.zeroGrad();
        return curves;
    }

    @Override
    public int outputs() {
        return model.config().vocabSize();
    }
}
