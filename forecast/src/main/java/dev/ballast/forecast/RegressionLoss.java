package dev.ballast.forecast;

/**
 * A point-forecast loss, averaged over the n predictions it is given. {@link #forward} and
 * {@link #backward} sit together in each implementation:
 * <pre>
 *   mse:   L = mean (p - y)^2                          dL/dp = 2 (p - y) / n
 *   mae:   L = mean |p - y|                            dL/dp = sign(p - y) / n    (sign(0) = 0)
 *   huber: L = mean { r^2 / 2        if |r| &lt;= d       dL/dp = clamp(r, -d, d) / n,   r = p - y
 *                   { d (|r| - d/2)  otherwise          (Huber 1964)
 * </pre>
 */
public interface RegressionLoss {

    /** Huber's default threshold on scaled data: quadratic within one unit, linear beyond. */
    double HUBER_DELTA = 1.0;

    // pred, target: (n)
    /** The mean loss over {@code n} predictions. */
    double forward(float[] pred, float[] target, int n);

    // pred, target, dPred: (n)
    /** Overwrites {@code dPred} with the gradient of the mean loss. */
    void backward(float[] pred, float[] target, int n, float[] dPred);

    String name();

    /** The loss of a {@link LossKind} ({@code mse}, {@code mae} or {@code huber}). */
    static RegressionLoss create(LossKind kind) {
        return switch (kind) {
            case MSE -> new Mse();
            case MAE -> new Mae();
            case HUBER -> new Huber(HUBER_DELTA);
        };
    }

    /** Mean squared error. */
    final class Mse implements RegressionLoss {
        @Override
        public double forward(float[] pred, float[] target, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double r = pred[i] - target[i];
                s += r * r;
            }
            return s / n;
        }

        @Override
        public void backward(float[] pred, float[] target, int n, float[] dPred) {
            for (int i = 0; i < n; i++) {
                dPred[i] = 2f * (pred[i] - target[i]) / n;
            }
        }

        @Override
        public String name() {
            return "mse";
        }
    }

    /** Mean absolute error. */
    final class Mae implements RegressionLoss {
        @Override
        public double forward(float[] pred, float[] target, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(pred[i] - target[i]);
            }
            return s / n;
        }

        @Override
        public void backward(float[] pred, float[] target, int n, float[] dPred) {
            for (int i = 0; i < n; i++) {
                dPred[i] = Math.signum(pred[i] - target[i]) / n;
            }
        }

        @Override
        public String name() {
            return "mae";
        }
    }

    /** Huber loss with threshold {@code delta}: MSE near the target, MAE in the tails. */
    final class Huber implements RegressionLoss {
        private final double delta;

        public Huber(double delta) {
            if (!(delta > 0)) {
                throw new IllegalArgumentException("huber delta must be > 0, got " + delta);
            }
            this.delta = delta;
        }

        @Override
        public double forward(float[] pred, float[] target, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double a = Math.abs(pred[i] - target[i]);
                s += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
            }
            return s / n;
        }

        @Override
        public void backward(float[] pred, float[] target, int n, float[] dPred) {
            float d = (float) delta;
            for (int i = 0; i < n; i++) {
                float r = pred[i] - target[i];
                dPred[i] = Math.max(-d, Math.min(d, r)) / n;
            }
        }

        @Override
        public String name() {
            return "huber";
        }
    }
}
