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
 * @param everyStep whether the head reads every step's state (one-step-ahead training) or only the last
 */
public record NetworkShape(CellType cell, int features, int hidden, int layers, int outputs, boolean everyStep) {

    public NetworkShape {
        if (features < 1 || hidden < 1 || layers < 1 || outputs < 1) {
            throw new IllegalArgumentException("network sizes must be >= 1: features " + features + ", hidden "
                    + hidden + ", layers " + layers + ", outputs " + outputs);
        }
    }
}
