package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.export.LogSoftmax;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.engine.nn.RecurrentState;

import java.nio.file.Path;

/**
 * The {@link InferenceModel} back-end that runs Ballast's own engine on a model directory. The network
 * keeps work buffers between calls, so calls are serialized on it; that keeps concurrent callers correct
 * (throughput comes from the kernels' own threads).
 */
public final class EngineModel implements InferenceModel {

    private final TrainedModel model;
    private final ModelInfo info;
    // The model is loaded for inference and never trained, so layer 0's projection per token stays valid.
    private final LanguageModel.InputCache inputCache;

    public EngineModel(TrainedModel model, String source) {
        this.model = model;
        this.inputCache = model.network().newInputCache();
        ModelConfig cfg = model.network().config();
        this.info = new ModelInfo("ballast", source, cfg, model.tokenizer().type(),
                model.provenance() != null ? model.provenance().toJson() : JsonNodeFactory.instance.objectNode());
    }

    /** Loads a run or checkpoint directory (a run resolves to its best checkpoint). */
    public static EngineModel open(Path dir, int threads) {
        Path resolved = CheckpointStore.resolveModel(dir);
        return new EngineModel(ModelFiles.load(resolved, KernelProvider.best(threads)), resolved.toString());
    }

    public TrainedModel trainedModel() {
        return model;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tokenizer tokenizer() {
        return model.tokenizer();
    }

    @Override
    public void forward(int[] tokens, int steps, int batch, float[] h, float[] c, float[] logProbs) {
        LanguageModel net = model.network();
        ModelConfig cfg = net.config();
        int n = batch * cfg.hidden(); // one layer's (B, H) block of the (L, B, H) state
        RecurrentState state = cfg.newState(batch);
        for (int l = 0; l < cfg.layers(); l++) {
            System.arraycopy(h, l * n, state.h(l), 0, n);
            if (state.c(l) != null) {
                System.arraycopy(c, l * n, state.c(l), 0, n);
            }
        }
        synchronized (net) {
            net.logits(tokens, steps, batch, state, logProbs, inputCache);
        }
        LogSoftmax.apply(logProbs, steps * batch, cfg.vocabSize(), logProbs);
        for (int l = 0; l < cfg.layers(); l++) {
            System.arraycopy(state.h(l), 0, h, l * n, n);
            if (state.c(l) != null) {
                System.arraycopy(state.c(l), 0, c, l * n, n);
            }
        }
    }

    @Override
    public void close() {
        // heap memory only
    }
}
