package dev.ballast.training.stability;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the {@link StabilityMonitor} recorded into {@link Finding}s, one rule per warning sign:
 * non-finite values, loss spikes, weights growing step after step, a gradient norm persistently far above
 * the clip, a loss that stops improving, gradients vanishing k steps back, recurrent matrices with a
 * spectral norm well above 1, saturated forget gates, and validation loss drifting away from training loss.
 * The thresholds are rules of thumb, stated next to each rule.
 */
public final class Findings {

    private Findings() {
    }

    public static List<Finding> of(StabilityMonitor m, int seq) {
        List<Finding> out = new ArrayList<>();
        incidents(m, out);
        weightsGrowing(m, out);
        gradientAboveClip(m, out);
        lossNotImproving(m, out);
        vanishing(m, seq, out);
        spectral(m, out);
        saturation(m, out);
        overfitting(m, out);
        return out;
    }

    private static void incidents(StabilityMonitor m, List<Finding> out) {
        for (Incident i : m.incidents) {
            String sign = switch (i.kind()) {
                case NONFINITE_LOSS -> "loss became NaN";
                case NONFINITE_STATE -> "hidden state became NaN";
                case NONFINITE_GRADIENT -> "gradient became NaN";
                case NONFINITE_WEIGHTS -> "weights became NaN";
                case LOSS_SPIKE -> "loss spike";
                case LOSS_REGRESSION -> "loss climbing";
                case VALIDATION_REGRESSION -> "validation loss rising";
                case PERSISTENT_CLIPPING -> "gradient norm persistently far above the clip";
                case RECURRENCE_EXPANDING -> "recurrent matrix expanding";
            };
            String did = switch (i.action()) {
                case SKIPPED -> "The update was skipped.";
                case ROLLED_BACK -> i.kind() == Incident.Kind.LOSS_REGRESSION
                        ? "Training rolled back to the snapshot with the lowest loss and went on with half the learning rate."
                        : "Training rolled back to the last good snapshot with half the learning rate.";
                case LR_LOWERED -> "Training went on with half the learning rate.";
                case WEIGHTS_RESCALED -> "The recurrent matrices were scaled down to spectral norm 1 and training went on.";
                case FAILED -> "The run stopped.";
            };
            if (i.kind().trend()) {
                out.add(new Finding("warning", sign, i.step(), i.layer(),
                        capital(i.kind().words()) + " (" + trendValue(i) + ") by step " + i.step() + ". " + did,
                        trendRemedy(i.kind())));
                continue;
            }
            out.add(new Finding(i.action() == Incident.Action.FAILED ? "error" : "warning", sign, i.step(), i.layer(),
                    capital(i.kind().words()) + " (" + i.value() + ") on the batch at data position " + i.position()
                            + ". " + did,
                    i.kind() == Incident.Kind.LOSS_SPIKE
                            ? "a lower --lr or a warm-up (--lr-schedule cosine:WARMUP); check the quarantined batch."
                            : "a lower --lr, --clip global-norm with a smaller --clip-norm, or an LSTM instead of a vanilla RNN."));
        }
    }

    private static String trendValue(Incident i) {
        return switch (i.kind()) {
            case LOSS_REGRESSION -> String.format("moving average %.4g", i.value());
            case VALIDATION_REGRESSION -> String.format("validation loss %.4g", i.value());
            case RECURRENCE_EXPANDING -> String.format("largest spectral norm %.4g", i.value());
            default -> String.format("gradient norm %.4g", i.value());
        };
    }

    private static String trendRemedy(Incident.Kind kind) {
        return switch (kind) {
            case LOSS_REGRESSION -> "a lower --lr (start at the rate the run ended with), or a decaying --lr-schedule.";
            case VALIDATION_REGRESSION -> "the best checkpoint is kept (best.json); a lower --lr, --dropout or an L2 "
                    + "penalty if the training loss keeps falling (overfitting).";
            case RECURRENCE_EXPANDING -> "a smaller recurrent initialisation (--init orthogonal, --init-scale), or "
                    + "--max-norm to keep the recurrent weights bounded throughout.";
            default -> "a lower --lr; clipping keeps the run alive but every step is shortened.";
        };
    }

    private static void weightsGrowing(StabilityMonitor m, List<Finding> out) {
        // Rule: a layer's weight norm rose at each of the last 4 diagnoses and by more than half overall.
        int n = m.diagnostics.size();
        if (n < 4) {
            return;
        }
        String[] names = m.layerNames();
        for (int l = 0; l < names.length; l++) {
            boolean rising = true;
            for (int k = n - 3; k < n; k++) {
                rising &= m.diagnostics.get(k).layerWeightNorms()[l] > m.diagnostics.get(k - 1).layerWeightNorms()[l];
            }
            double first = m.diagnostics.get(n - 4).layerWeightNorms()[l];
            double last = m.diagnostics.get(n - 1).layerWeightNorms()[l];
            if (rising && first > 0 && last > 1.5 * first) {
                out.add(new Finding("warning", "weights growing", m.diagnostics.get(n - 1).step(), names[l],
                        String.format("Weight norm grew step after step, from %.3g to %.3g since step %d.", first, last,
                                m.diagnostics.get(n - 4).step()),
                        "--l2-recurrent, --max-norm on the recurrent matrices, or --weight-decay."));
            }
        }
    }

    private static void gradientAboveClip(StabilityMonitor m, List<Finding> out) {
        // Rule: over the last 100 steps, more than half had a norm above 5x the threshold.
        int n = m.gradNorm.size();
        int from = Math.max(0, n - 100);
        int far = 0;
        int counted = 0;
        for (int i = from; i < n; i++) {
            double t = m.threshold.get(i);
            if (Double.isFinite(t) && t > 0) {
                counted++;
                if (m.gradNorm.get(i) > 5 * t) {
                    far++;
                }
            }
        }
        if (counted >= 20 && far > counted / 2) {
            out.add(new Finding("warning", "gradient norm persistently far above the clip", (long) m.steps.get(n - 1), "",
                    String.format("In %d of the last %d steps the gradient norm was over 5x the clip threshold "
                            + "(median %.3g): clipping is doing all the work.", far, counted, m.gradNorm.percentile(50)),
                    "a lower --lr; clipping keeps the run alive but every step is shortened."));
        }
    }

    private static void lossNotImproving(StabilityMonitor m, List<Finding> out) {
        // Rule: at least 50 steps, and the mean loss of the last tenth is not 2% below that of the first tenth.
        int n = m.loss.size();
        if (n < 50) {
            return;
        }
        int k = Math.max(5, n / 10);
        double first = mean(m.loss, 0, k);
        double last = mean(m.loss, n - k, n);
        if (last > 0.98 * first) {
            out.add(new Finding("warning", "loss not improving", (long) m.steps.get(n - 1), "",
                    String.format("The training loss went from %.4g (first %d steps) to %.4g (last %d).", first, k, last, k),
                    "a different --lr (too low learns nothing, too high bounces), or check the data."));
        }
    }

    private static void vanishing(StabilityMonitor m, int seq, List<Finding> out) {
        // Rule: in the latest diagnosis, |dL_T/dh_{T-k}| falls below 1% of |dL_T/dh_T| before k reaches half the window.
        if (m.diagnostics.isEmpty()) {
            return;
        }
        StabilityMonitor.Diagnostic d = m.diagnostics.get(m.diagnostics.size() - 1);
        for (int l = 0; l < d.reachBack().length; l++) {
            int k = reach(d.reachBack()[l]);
            if (k >= 0 && k < seq / 2) {
                out.add(new Finding("warning", "gradients vanishing", d.step(), "layers." + l,
                        "The last step's error is under 1% of its size after " + k + " steps back (window " + seq
                                + "): dependencies longer than about " + k + " steps are not being learned.",
                        "an LSTM instead of a vanilla RNN; for an LSTM, --forget-bias 1 (longer memory); "
                                + "--init orthogonal; or a shorter --seq if longer dependencies do not matter."));
            }
        }
    }

    /** The first k at which the curve (indexed by t, with k = T-1-t) drops below 1% of its value at k = 0; -1 if never. */
    public static int reach(float[] curve) {
        int last = curve.length - 1;
        double top = curve[last];
        if (!(top > 0)) {
            return -1;
        }
        for (int k = 1; k <= last; k++) {
            if (curve[last - k] < 0.01 * top) {
                return k;
            }
        }
        return -1;
    }

    private static void spectral(StabilityMonitor m, List<Finding> out) {
        // Rule: a vanilla RNN whose recurrent matrix stretches the state by more than 1.5x per step.
        if (m.diagnostics.isEmpty() || m.isLstm()) {
            return;
        }
        StabilityMonitor.Diagnostic d = m.diagnostics.get(m.diagnostics.size() - 1);
        for (int l = 0; l < d.spectral().length; l++) {
            if (d.spectral()[l] > 1.5) {
                out.add(new Finding("warning", "recurrent matrix expanding", d.step(), "layers." + l,
                        String.format("The spectral norm of the recurrent matrix is %.3g: the state can grow by that "
                                + "factor per step, and so can the gradient going back.", d.spectral()[l]),
                        "--max-norm, --l2-recurrent, or a lower --lr."));
            }
        }
    }

    private static void saturation(StabilityMonitor m, List<Finding> out) {
        // Rule: more than 50% of forget-gate activations within 1% of 0 or 1.
        if (m.diagnostics.isEmpty()) {
            return;
        }
        StabilityMonitor.Diagnostic d = m.diagnostics.get(m.diagnostics.size() - 1);
        for (int l = 0; l < d.forgetSaturation().length; l++) {
            if (d.forgetSaturation()[l] > 0.5) {
                out.add(new Finding("info", "forget gates saturated", d.step(), "layers." + l,
                        String.format("%.0f%% of forget-gate activations are within 1%% of 0 or 1; those gates no longer learn.",
                                100 * d.forgetSaturation()[l]),
                        "a lower --lr, or --l2-bias to keep the gate biases moderate."));
            }
        }
    }

    private static void overfitting(StabilityMonitor m, List<Finding> out) {
        // Rule: validation loss 0.2 nats above the recent training loss at the last validation, and the gap widened.
        int n = m.valLoss.size();
        if (n < 2) {
            return;
        }
        double gap = m.valLoss.get(n - 1) - m.trainLossAtVal.get(n - 1);
        double before = m.valLoss.get(n - 2) - m.trainLossAtVal.get(n - 2);
        if (gap > 0.2 && gap > before) {
            out.add(new Finding("warning", "train/valid gap", (long) m.valSteps.get(n - 1), "",
                    String.format("Validation loss is %.3g above training loss and the gap widened (was %.3g).", gap, before),
                    "--dropout, an L2 penalty, a smaller model, or stop at the best checkpoint (best.json)."));
        }
    }

    private static double mean(Series s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += s.get(i);
        }
        return sum / (to - from);
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
