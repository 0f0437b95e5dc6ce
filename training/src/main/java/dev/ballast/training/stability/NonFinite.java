package dev.ballast.training.stability;

import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentState;

import java.util.List;

/** Finds NaN and infinite values in weights, gradients and carried states. One pass, no allocation. */
public final class NonFinite {

    private NonFinite() {
    }

    public static boolean allFinite(float[] a) {
        // x - x is 0 for finite x and NaN otherwise; summing keeps the loop branch-free.
        float acc = 0;
        for (float x : a) {
            acc += x - x;
        }
        return acc == 0;
    }

    /** The first parameter whose gradient holds a NaN or infinity, or null. */
    public static Parameter firstInGradients(List<Parameter> params) {
        for (Parameter p : params) {
            if (!allFinite(p.grad())) {
                return p;
            }
        }
        return null;
    }

    /** The first parameter whose weights hold a NaN or infinity, or null. */
    public static Parameter firstInWeights(List<Parameter> params) {
        for (Parameter p : params) {
            if (!allFinite(p.value())) {
                return p;
            }
        }
        return null;
    }

    /** The first layer whose carried h or c holds a NaN or infinity, or -1. */
    public static int firstInState(RecurrentState state) {
        for (int l = 0; l < state.layers(); l++) {
            if (!allFinite(state.h(l)) || (state.c(l) != null && !allFinite(state.c(l)))) {
                return l;
            }
        }
        return -1;
    }
}
