package dev.ballast.lm.bench;

import dev.ballast.engine.InputException;
import dev.ballast.engine.nn.CellType;
import dev.ballast.lm.ModelConfig;
import java.util.List;

/**
 * One model size to time, named as in the PyTorch reference {@code torch_lstm_bench.py}, so the
 * two can be compared config by config.
 *
 * @param level "char" (tinyshakespeare's 65 symbols) or "word" (PTB words)
 */
public record BenchConfig(String name, String level, CellType cell, int layers, int hidden, int embed,
                          int seq, int batch, int vocab) {

    /**
     * The word model's vocabulary as the reference builds it: the distinct whitespace-separated words
     * of {@code ptb.valid.txt} and {@code ptb.test.txt} plus {@code <eos>} (PTB's usual 10,000 come
     * from ptb.train.txt, which the shared corpora do not have). Its parameter count, 3,689,196,
     * confirms the number; a 10,000-word model would time a third more work on the output layer.
     */
    static final int REFERENCE_PTB_VOCAB = 7596;

    /** The reference's four configurations. */
    public static final List<BenchConfig> ALL = List.of(
            new BenchConfig("char-lstm-2x256", "char", CellType.LSTM, 2, 256, 64, 64, 32, 65),
            new BenchConfig("char-lstm-2x512", "char", CellType.LSTM, 2, 512, 64, 100, 50, 65),
            new BenchConfig("char-rnn-1x512", "char", CellType.RNN_TANH, 1, 512, 64, 64, 32, 65),
            new BenchConfig("word-lstm-2x200", "word", CellType.LSTM, 2, 200, 200, 20, 20, REFERENCE_PTB_VOCAB));

    public static BenchConfig named(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> InputException.naming(
                "unknown {config} '" + name + "' (choose " + String.join(", ", ALL.stream().map(BenchConfig::name).toList()) + ")"));
    }

    public ModelConfig modelConfig() {
        return new ModelConfig(cell, vocab, embed, hidden, layers, 0f);
    }

    /**
     * Floating-point operations of one training token: the forward multiplies (2 per multiply-add)
     * of every layer and the output projection, times 3 for forward + backward (the backward pass
     * does two multiplies of the same size per forward one). Element-wise work is not counted.
     */
    public double trainFlopsPerToken() {
        return 3 * forwardFlopsPerToken();
    }

    public double forwardFlopsPerToken() {
        double flops = 0;
        int gh = cell.gates() * hidden;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embed : hidden;
            flops += 2.0 * gh * (in + hidden);
        }
        return flops + 2.0 * hidden * vocab;
    }
}
