package dev.ballast.training.stability;

import dev.ballast.engine.math.SpectralNorm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.math.Norms;
import dev.ballast.engine.nn.CellType;
import dev.ballast.engine.nn.LstmLayer;
import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.nn.RecurrentLayer;
import dev.ballast.engine.optim.ClipResult;
import dev.ballast.engine.optim.LayerNormClipper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Watches training. Per step (O(parameters), no allocation): loss, global gradient norm before and after
 * clipping and the threshold, per-layer gradient norms, weight norms and update-to-weight ratios
 * |w_new - w_old| / |w_old|, the regularization penalty's share of the loss, and non-finite weights.
 * Every {@code diagnoseEvery} steps: the spectral norm of each recurrent matrix (and of each gate block),
 * LSTM per-gate gradient norms and forget-gate saturation, and the reach-back curve |dL_T/dh_{T-k}|.
 * It only observes; decisions are the {@link StabilityGuard}'s.
 */
public final class StabilityMonitor {

    /** Power iterations for the spectral norm estimate. */
    static final int POWER_ITERATIONS = 30;

    private final List<Parameter> params;
    private final List<RecurrentLayer> layers;
    private final Kernels kernels;
    private final int diagnoseEvery;
    private final String[] layerNames;          // layers in first-seen order
    private final int[] layerOfParam;           // parameter index -> layer index
    private final float[][] previous;           // copies of the weights before the update
    private final double[] layerGradNorm;       // latest, before clipping
    private final double[] layerWeightNorm;     // latest
    private final double[] layerDelta;          // scratch: squared update norm per layer
    private final double[] weightAndDelta = new double[2];
    private final double[] layerUpdateRatio;    // latest
    private final double[] layerMaxGradNorm;    // over the run

    // Per step series (index = row in the history).
    final Series steps = new Series();
    final Series loss = new Series();
    final Series gradNorm = new Series();
    final Series gradNormAfter = new Series();
    final Series threshold = new Series();
    final Series clipped = new Series();
    final Series lr = new Series();
    final Series penaltyShare = new Series();
    final Series updateRatio = new Series();
    final Series weightNorm = new Series();
    // Per validation.
    final Series valSteps = new Series();
    final Series valLoss = new Series();
    final Series trainLossAtVal = new Series();
    // Per diagnostic.
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final List<Incident> incidents = new ArrayList<>();
    final List<ObjectNode> lrChanges = new ArrayList<>();

    private double[][] pendingGates;
    private long clippedSteps;
    private long recordedSteps;
    private long nonFiniteSteps;
    private double maxGradNorm;
    private double lastNormBefore = Double.NaN; // of the last recorded step
    private double lastThreshold = Double.NaN;

    /** One periodic diagnosis. Arrays are per recurrent layer (bottom first). */
    record Diagnostic(long step, double[] spectral, double[][] gateSpectral, double[][] gateGradNorms,
                      double[] forgetSaturation, float[][] reachBack, double[] layerWeightNorms,
                      double[] layerGradNorms, double[] layerUpdateRatios) {
    }

    /**
     * @param params the model's parameters in their fixed order
     * @param layers its recurrent layers, bottom first
     * @param kernels the kernels the model computes with (the norms are summed on them)
     */
    public StabilityMonitor(List<Parameter> params, List<RecurrentLayer> layers, Kernels kernels, int diagnoseEvery) {
        this.params = params;
        this.layers = layers;
        this.kernels = kernels;
        this.diagnoseEvery = diagnoseEvery;
        Map<String, List<Parameter>> groups = LayerNormClipper.byLayer(params);
        this.layerNames = groups.keySet().toArray(new String[0]);
        this.layerOfParam = new int[params.size()];
        for (int i = 0; i < params.size(); i++) {
            layerOfParam[i] = List.of(layerNames).indexOf(LayerNormClipper.layerOf(params.get(i)));
        }
        this.previous = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            previous[i] = new float[params.get(i).size()];
        }
        int n = layerNames.length;
        layerGradNorm = new double[n];
        layerWeightNorm = new double[n];
        layerDelta = new double[n];
        layerUpdateRatio = new double[n];
        layerMaxGradNorm = new double[n];
    }

    /** Layer names in parameter order: {@code embedding}, {@code layers.0}, ..., {@code output}. */
    public String[] layerNames() {
        return layerNames.clone();
    }

    /**
     * Records per-layer gradient norms; call after backward (and regularization), before clipping.
     * Returns the global gradient norm, sqrt of the parameters' sums of squares added in parameter
     * order — the number {@link dev.ballast.engine.optim.GradientClipper#clip(List, double)} would
     * compute itself, so the trainer hands it over instead of summing every gradient twice.
     */
    public double beforeClip() {
        if (pendingGates != null) {
            for (int l = 0; l < pendingGates.length; l++) {
                pendingGates[l] = gateNorms(layers.get(l));
            }
            pendingGates = null;
        }
        java.util.Arrays.fill(layerGradNorm, 0);
        double total = 0;
        for (int i = 0; i < params.size(); i++) {
            double squares = kernels.sumOfSquares(params.get(i).grad());
            layerGradNorm[layerOfParam[i]] += squares;
            total += squares;
        }
        for (int l = 0; l < layerGradNorm.length; l++) {
            layerGradNorm[l] = Math.sqrt(layerGradNorm[l]);
            if (layerGradNorm[l] > layerMaxGradNorm[l]) {
                layerMaxGradNorm[l] = layerGradNorm[l];
            }
        }
        return Math.sqrt(total);
    }

    /** Keeps the weights as they are before the optimizer step, for the update-to-weight ratios. */
    public void beforeUpdate() {
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(params.get(i).value(), 0, previous[i], 0, previous[i].length);
        }
    }

    /**
     * Measures the update and records the step.
     *
     * @param step      the 1-based step just taken
     * @param threshold the clip threshold in force (NaN when the mode has no single one)
     * @param penalty   the regularization penalty added to this step's objective
     * @return the first parameter whose weights are now non-finite, or null when all are finite
     */
    public Parameter afterUpdate(long step, double loss, ClipResult clip, double threshold, double lr, double penalty) {
        double[] delta = layerDelta;
        java.util.Arrays.fill(delta, 0);
        java.util.Arrays.fill(layerWeightNorm, 0);
        Parameter bad = null;
        for (int i = 0; i < params.size(); i++) {
            Norms.sumOfSquaresAndDelta(params.get(i).value(), previous[i], weightAndDelta);
            double ww = weightAndDelta[0];
            if (bad == null && !Double.isFinite(ww)) {
                bad = params.get(i);
            }
            layerWeightNorm[layerOfParam[i]] += ww;
            delta[layerOfParam[i]] += weightAndDelta[1];
        }
        double totalW = 0;
        double totalD = 0;
        for (int l = 0; l < layerNames.length; l++) {
            totalW += layerWeightNorm[l];
            totalD += delta[l];
            layerWeightNorm[l] = Math.sqrt(layerWeightNorm[l]);
            layerUpdateRatio[l] = Math.sqrt(delta[l]) / Math.max(layerWeightNorm[l], 1e-12);
        }
        if (bad != null) {
            return bad;
        }
        recordedSteps++;
        lastNormBefore = clip.normBefore();
        lastThreshold = threshold;
        if (clip.clipped()) {
            clippedSteps++;
        }
        maxGradNorm = Math.max(maxGradNorm, clip.normBefore());
        steps.add(step);
        this.loss.add(loss);
        gradNorm.add(clip.normBefore());
        gradNormAfter.add(clip.normAfter());
        this.threshold.add(threshold);
        clipped.add(clip.clipped() ? 1 : 0);
        this.lr.add(lr);
        penaltyShare.add(penalty == 0 ? 0 : penalty / (loss + penalty));
        updateRatio.add(Math.sqrt(totalD) / Math.max(Math.sqrt(totalW), 1e-12));
        weightNorm.add(Math.sqrt(totalW));
        return null;
    }

    /** Whether step {@code step} (0-based, about to run) gets the periodic diagnosis. */
    public boolean diagnoseDue(long step) {
        return diagnoseEvery > 0 && step % diagnoseEvery == 0;
    }

    /**
     * The periodic diagnosis, on the batch about to be trained. {@code probe} runs the model's own forward
     * and reach-back backward (one extra forward/backward every K steps) on a copy of the carried state with a
     * throw-away RNG, calls the runnable it is given between the two (the gate activations are read there),
     * zeroes the gradients after and returns the reach-back curves (null when the model has none), so
     * training is not disturbed (runs with and without diagnostics take the same steps).
     */
    public void diagnose(long step, Function<Runnable, float[][]> probe) {
        int n = layers.size();
        double[] spectral = new double[n];
        double[][] gateSpectral = new double[n][];
        double[][] gateGrads = new double[n][];
        double[] saturation = new double[n];
        for (int l = 0; l < n; l++) {
            RecurrentLayer layer = layers.get(l);
            int h = layer.hiddenSize();
            int gates = layer.cell().gates();
            float[] wr = layer.wRecurrent().value();
            spectral[l] = SpectralNorm.of(wr, 0, h, gates * h, gates * h, POWER_ITERATIONS);
            gateSpectral[l] = new double[gates];
            for (int g = 0; g < gates; g++) {
                gateSpectral[l][g] = SpectralNorm.of(wr, g * h, h, h, gates * h, POWER_ITERATIONS);
            }
            saturation[l] = Double.NaN;
        }
        float[][] curves = probe.apply(() -> {
            for (int l = 0; l < n; l++) {
                if (layers.get(l) instanceof LstmLayer lstm) {
                    // 0.01: the gate is within 1% of shut or open; its sigmoid slope is < 0.01.
                    saturation[l] = lstm.forgetSaturation(0.01);
                }
            }
        });
        pendingGates = gateGrads; // filled from the real step's gradients in beforeClip
        diagnostics.add(new Diagnostic(step, spectral, gateSpectral, gateGrads, saturation,
                curves == null ? new float[0][] : curves,
                layerWeightNorm.clone(), layerGradNorm.clone(), layerUpdateRatio.clone()));
    }

    /** Gradient norm per gate block of w_input and w_recurrent together (i, f, g, o for an LSTM). */
    private static double[] gateNorms(RecurrentLayer layer) {
        int h = layer.hiddenSize();
        int gates = layer.cell().gates();
        double[] out = new double[gates];
        for (Parameter p : List.of(layer.wInput(), layer.wRecurrent())) {
            float[] g = p.grad();
            int cols = gates * h;
            for (int i = 0; i < g.length; i++) {
                int gate = (i % cols) / h;
                out[gate] += (double) g[i] * g[i];
            }
        }
        for (int k = 0; k < gates; k++) {
            out[k] = Math.sqrt(out[k]);
        }
        return out;
    }

    public void incident(Incident incident) {
        incidents.add(incident);
        if (incident.kind().nonFinite()) {
            nonFiniteSteps++;
        }
    }

    /** A learning-rate or clip change made by the recovery. */
    public void change(long step, String what, double from, double to, String why) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("step", step);
        n.put("what", what);
        n.put("from", from);
        n.put("to", to);
        n.put("why", why);
        lrChanges.add(n);
    }

    /** A rollback rewinds the history to the snapshot's step, so charts show the run that counts. */
    public void rewindTo(long step) {
        int keep = 0;
        while (keep < steps.size() && steps.get(keep) <= step) {
            keep++;
        }
        for (Series s : List.of(steps, loss, gradNorm, gradNormAfter, threshold, clipped, lr, penaltyShare,
                updateRatio, weightNorm)) {
            s.truncate(keep);
        }
        diagnostics.removeIf(d -> d.step() > step);
    }

    public void validation(long step, double val) {
        valSteps.add(step);
        valLoss.add(val);
        int n = loss.size();
        double mean = 0;
        int k = 0;
        for (int i = Math.max(0, n - 20); i < n; i++, k++) {
            mean += loss.get(i);
        }
        trainLossAtVal.add(k == 0 ? Double.NaN : mean / k);
    }

    public long clippedSteps() {
        return clippedSteps;
    }

    public long recordedSteps() {
        return recordedSteps;
    }

    public long nonFiniteSteps() {
        return nonFiniteSteps;
    }

    public double maxGradNorm() {
        return maxGradNorm;
    }

    public double clippedFraction() {
        return recordedSteps == 0 ? 0 : (double) clippedSteps / recordedSteps;
    }

    public List<Incident> incidents() {
        return List.copyOf(incidents);
    }

    public double[] layerGradNorms() {
        return layerGradNorm.clone();
    }

    public double[] layerWeightNorms() {
        return layerWeightNorm.clone();
    }

    public double[] layerUpdateRatios() {
        return layerUpdateRatio.clone();
    }

    /** {gradient norm before clipping, clip threshold} of the last recorded step (NaN before any). */
    public double[] lastClip() {
        return new double[] {lastNormBefore, lastThreshold};
    }

    /** The counters that continue across a resume: {recorded, clipped, nonFinite, maxGradNorm}. */
    public double[] counters() {
        return new double[] {recordedSteps, clippedSteps, nonFiniteSteps, maxGradNorm};
    }

    public void restoreCounters(double[] c) {
        recordedSteps = (long) c[0];
        clippedSteps = (long) c[1];
        nonFiniteSteps = (long) c[2];
        maxGradNorm = c[3];
    }

    /** The short summary that travels with the model (model.json metrics) and in {@code train --json}. */
    public ObjectNode summary(int rollbacks) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("clipped_fraction", clippedFraction());
        n.put("nonfinite_steps", nonFiniteSteps);
        n.put("rollbacks", rollbacks);
        n.put("max_grad_norm", maxGradNorm);
        n.put("incidents", incidents.size());
        return n;
    }

    /** The single clip threshold a clipper applies this step, for the chart; NaN when it has none. */
    public static double thresholdOf(dev.ballast.engine.optim.GradientClipper clipper) {
        if (clipper instanceof dev.ballast.engine.optim.GlobalNormClipper c) {
            return c.maxNorm();
        }
        if (clipper instanceof dev.ballast.engine.optim.AutoClipper c) {
            return c.lastThreshold();
        }
        if (clipper instanceof LayerNormClipper c) {
            return c.maxNorm();
        }
        if (clipper instanceof dev.ballast.engine.optim.TensorNormClipper c) {
            return c.maxNorm();
        }
        return Double.NaN;
    }

    static ArrayNode array(double[] values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    boolean isLstm() {
        return !layers.isEmpty() && layers.get(0).cell() == CellType.LSTM;
    }

    long parameters() {
        long n = 0;
        for (Parameter p : params) {
            n += p.size();
        }
        return n;
    }
}
