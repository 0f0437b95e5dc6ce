package dev.ballast.engine.optim;

import dev.ballast.engine.nn.Parameter;

import java.util.List;

/**
 * Max-norm constraint on recurrent matrices (Srivastava et al. 2014, "Dropout", §5.1): after each
 * update, the incoming recurrent weights of every unit (a column of the (H, G*H) {@code w_recurrent})
 * are rescaled to norm {@code maxNorm} when longer. It bounds how fast any unit's state can grow from
 * step to step, one of the routes to exploding recurrences. Other parameters are left alone.
 *
 * <pre>{@code
 * MaxNormConstraint c = new MaxNormConstraint(3.0);
 * optimizer.step(params, lr);
 * c.apply(params);
 * }</pre>
 */
public final class MaxNormConstraint {

    private final double maxNorm;

    /** @param maxNorm the {@code --max-norm} bound per unit, &gt; 0 */
    public MaxNormConstraint(double maxNorm) {
        this.maxNorm = AbstractGradientClipper.requirePositive("max_norm", maxNorm);
    }

    /** @return the number of columns that were rescaled */
    public int apply(List<Parameter> params) {
        int rescaled = 0;
        for (Parameter p : params) {
            if (p.kind() != Parameter.Kind.RECURRENT_WEIGHT || p.shape().length != 2) {
                continue;
            }
            int rows = p.shape()[0];
            int cols = p.shape()[1];
            float[] w = p.value();
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int i = 0; i < rows; i++) {
                    sum += (double) w[i * cols + j] * w[i * cols + j];
                }
                double norm = Math.sqrt(sum);
                if (norm > maxNorm) {
                    float coef = (float) (maxNorm / norm);
                    for (int i = 0; i < rows; i++) {
                        w[i * cols + j] *= coef;
                    }
                    rescaled++;
                }
            }
        }
        return rescaled;
    }

    @Override
    public String toString() {
        return "max-norm(" + maxNorm + ")";
    }
}
