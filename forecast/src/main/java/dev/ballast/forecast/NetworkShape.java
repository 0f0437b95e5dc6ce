package dev.ballast.forecast;

import dev.ballast.engine.nn.CellType;

/**
 * The sizes of a {@link ForecastNetwork}.
 *
 * @param cell      the recurrent cell
 * @param features  F, inputs per time step
 * @param hidden    H units per layer
 * @param layers    stacked recurrent layers
 * @param outputs   O, values the head emits per row: 1 for one-step-ahead, the horizon for direct
 * @param dropout   on the outputs of each recurrent layer in training (Zaremba et al. 2014); 0 = none
 * @param everyStep whether the head reads every step's state (one-step-ahead training) or only the last
 */
public record NetworkShape(CellType cell, int features, int hidden, int layers, int outputs, boolean everyStep,
                           float dropout) {

    public NetworkShape {
        if (features < 1 || hidden < 1 || layers < 1 || outputs < 1) {
            throw new IllegalArgumentException("network sizes must be >= 1: features " + features + ", hidden "
                    + hidden + ", layers " + layers + ", outputs " + outputs);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }
}
