package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;

import java.util.List;

/** Leaves gradients as they are but still reports their global norm, for monitoring. */
public final class NoClipper extends AbstractGradientClipper {

    @Override
    protected boolean apply(List<Parameter> params, double globalNorm) {
        return false;
    }

    @Override
    public String describe() {
        return "none";
    }
}
