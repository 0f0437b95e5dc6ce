package dev.ballast.lm;

import dev.ballast.engine.nn.RecurrentState;

import dev.ballast.engine.nn.CellType;

/**
 * The shape of a {@link LanguageModel}, validated in one place.
 *
 * <pre>{@code
 * ModelConfig cfg = new ModelConfig(CellType.LSTM, 65, 64, 256, 2, 0.25f);
 * }</pre>
 *
 * @param cell      the recurrent cell
 * @param vocabSize number of token ids V
 * @param embed     embedding width E
 * @param hidden    hidden width H of every recurrent layer
 * @param layers    number of stacked recurrent layers
 * @param dropout   probability of dropping an activation after each recurrent layer, in [0, 1)
 * @param tieWeights whether the output projection reuses the embedding table (W_out = E^T,
 *                  Press and Wolf 2017); needs {@code embed == hidden}
 * @param residual  whether each layer from layer 1 up adds its input to its output (a residual
 *                  connection, He et al. 2016; as stacked in GNMT, Wu et al. 2016): layer l+1 reads
 *                  {@code dropout(h_l) + x_l}. Layers from 1 up map H to H, so the sizes always match;
 *                  layer 0 reads the embedding (E wide) and never has one. Needs at least 2 layers.
 */
public record ModelConfig(CellType cell, int vocabSize, int embed, int hidden, int layers, float dropout,
                          boolean tieWeights, boolean residual) {

    /** An untied model. */
    public ModelConfig(CellType cell, int vocabSize, int embed, int hidden, int layers, float dropout) {
        this(cell, vocabSize, embed, hidden, layers, dropout, false, false);
    }

    /** A model without residual connections. */
    public ModelConfig(CellType cell, int vocabSize, int embed, int hidden, int layers, float dropout,
                       boolean tieWeights) {
        this(cell, vocabSize, embed, hidden, layers, dropout, tieWeights, false);
    }

    public ModelConfig {
        if (cell == null) {
            throw new IllegalArgumentException("cell must be one of lstm, rnn-tanh, rnn-relu, got null");
        }
        atLeastOne("vocabSize", vocabSize);
        atLeastOne("embed", embed);
        atLeastOne("hidden", hidden);
        atLeastOne("layers", layers);
        if (!(dropout >= 0f && dropout < 1f)) { // also rejects NaN
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (tieWeights && embed != hidden) {
            throw new IllegalArgumentException("tied weights need embed == hidden, got embed " + embed + " and hidden " + hidden);
        }
        if (residual && layers < 2) {
            throw new IllegalArgumentException("residual connections start at layer 1, so they need at least 2 layers, got " + layers);
        }
    }

    private static void atLeastOne(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }

    /** A zero carried state for {@code batch} streams of this model. */
    public RecurrentState newState(int batch) {
        return new RecurrentState(layers, batch, hidden, cell);
    }
}
