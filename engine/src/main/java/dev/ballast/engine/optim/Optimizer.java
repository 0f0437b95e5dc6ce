package dev.ballast.engine.optim;

import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.math.Kernels;
import dev.ballast.engine.nn.Parameter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The update loop every optimizer shares (template method): count the step, apply decoupled weight
 * decay, then hand each parameter's weights, gradient and per-parameter state ("slots") to
 * {@link #update}, which holds the optimizer's own formula.
 *
 * <p>Weight decay is decoupled from the gradient (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
 * Regularization"): {@code w -= lr * weightDecay * w} before the update, never on {@link Parameter.Kind#BIAS}
 * parameters. (Coupled L2 lives in {@link Regularizer}.)
 *
 * <p>State is kept per parameter name, so {@link #state()} / {@link #restore} survive a checkpoint in
 * which the {@code Parameter} objects are recreated. Slots are created lazily, zero-filled, on the first
 * step that sees a parameter.
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.create(OptimizerKind.ADAM, OptimizerSettings.defaults());
 * adam.step(model.parameters(), 1e-3f);            // after backward (and clipping)
 * Map<String, float[]> saved = adam.state();       // copies, safe to write out later
 * long t = adam.steps();
 * Optimizer resumed = Optimizers.create(OptimizerKind.ADAM, OptimizerSettings.defaults());
 * resumed.restore(saved, t);
 * }</pre>
 */
public abstract class Optimizer {

    private final String name;
    private final OptimizerSettings settings;
    private final float weightDecay;
    /** parameter name -> slots, each (parameter size), in the order of {@link #slotNames()}. */
    private final Map<String, float[][]> slots = new LinkedHashMap<>();
    private long t;
    private Kernels kernels = KernelProvider.scalar();

    /**
     * @param defaultWeightDecay used when the settings leave weight decay unset
     */
    protected Optimizer(String name, OptimizerSettings settings, double defaultWeightDecay) {
        this.name = name;
        this.settings = settings;
        this.weightDecay = (float) settings.weightDecayOr(defaultWeightDecay);
    }

    /**
     * One update of every parameter with learning rate {@code lr}, using the gradients currently held
     * in {@link Parameter#grad()} (which are not modified).
     */
    public final void step(List<Parameter> params, float lr) {
        if (!(lr >= 0) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        t++;
        long step = t;
        float decay = lr * weightDecay;
        for (Parameter p : params) {
            float[] w = p.value();
            float[] g = p.grad();
            float[][] s = slotsFor(p);
            boolean decays = weightDecay > 0 && p.kind() != Parameter.Kind.BIAS;
            // Element-wise, so the threads' shares of a large parameter give the same bits as one pass.
            kernels.forEachRange(w.length, MIN_RANGE, (from, to) -> {
                if (decays) {
                    for (int i = from; i < to; i++) {
                        w[i] -= decay * w[i];
                    }
                }
                update(w, g, s, lr, step, from, to);
            });
        }
    }

    /**
     * Where the update of large parameters runs: with several kernel threads, each takes a share of
     * the elements (the update reads and writes four arrays per element, and at millions of
     * parameters one core does not keep up with memory). Defaults to the calling thread alone.
     */
    public void setKernels(Kernels kernels) {
        this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
    }

    /** Parameters smaller than two of these are updated on the calling thread. */
    private static final int MIN_RANGE = 1 << 15;

    /**
     * The optimizer's formula for elements [from, to) of one parameter; each element's update
     * depends only on that element's weight, gradient and slots.
     *
     * @param w     weights, updated in place
     * @param g     gradient, read only
     * @param slots state arrays named by {@link #slotNames()}, each {@code w.length}, updated in place
     * @param lr    learning rate of this step
     * @param t     1-based step count (this step included), for bias corrections
     */
    protected abstract void update(float[] w, float[] g, float[][] slots, float lr, long t, int from, int to);

    /** Names of the per-parameter state arrays, e.g. {@code {"m", "v"}}; may be empty. */
    protected abstract String[] slotNames();

    /** Short name as accepted by {@link Optimizers#create}, e.g. {@code adam}. */
    public String name() {
        return name;
    }

    /** Number of steps taken (including steps restored from a checkpoint). */
    public long steps() {
        return t;
    }

    public OptimizerSettings settings() {
        return settings;
    }

    /** The weight decay actually applied (the settings' value or this optimizer's default). */
    public float weightDecay() {
        return weightDecay;
    }

    /**
     * A snapshot of the state: keys {@code "<parameter name>.<slot>"}, values are COPIES of the slot
     * arrays, so the map stays valid while training goes on. Parameters never stepped have no entries.
     */
    public Map<String, float[]> state() {
        String[] names = slotNames();
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[][]> e : slots.entrySet()) {
            for (int s = 0; s < names.length; s++) {
                out.put(e.getKey() + "." + names[s], e.getValue()[s].clone());
            }
        }
        return out;
    }

    /**
     * Replaces the state with a snapshot taken by {@link #state()} (the arrays are copied) and sets the
     * step counter. Every key must name a known slot, every parameter must have all its slots, and a
     * parameter's slots must have one length; sizes are checked against the parameter on the next
     * {@link #step}. Messages name the offending key.
     */
    public void restore(Map<String, float[]> state, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("optimizer steps must be >= 0, got " + steps);
        }
        String[] names = slotNames();
        Map<String, float[][]> restored = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : state.entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');  // parameter names may contain dots themselves
            int slot = dot < 0 ? -1 : Arrays.asList(names).indexOf(key.substring(dot + 1));
            if (slot < 0) {
                throw new IllegalArgumentException("optimizer state key '" + key + "' is not <parameter>."
                        + "<slot> with a slot of " + name + " " + Arrays.toString(names));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("optimizer state '" + key + "' has no array");
            }
            restored.computeIfAbsent(key.substring(0, dot), k -> new float[names.length][])[slot] =
                    e.getValue().clone();
        }
        for (Map.Entry<String, float[][]> e : restored.entrySet()) {
            float[][] arrays = e.getValue();
            for (int s = 0; s < names.length; s++) {
                String key = e.getKey() + "." + names[s];
                if (arrays[s] == null) {
                    throw new IllegalArgumentException("optimizer state is missing '" + key + "'");
                }
                if (arrays[s].length != arrays[0].length) {
                    throw new IllegalArgumentException("optimizer state '" + key + "' has size " + arrays[s].length
                            + " but '" + e.getKey() + "." + names[0] + "' has size " + arrays[0].length);
                }
            }
        }
        slots.clear();
        slots.putAll(restored);
        t = steps;
    }

    private float[][] slotsFor(Parameter p) {
        float[][] s = slots.get(p.name());
        if (s == null) {
            s = new float[slotNames().length][p.size()];
            slots.put(p.name(), s);
        } else if (s.length > 0 && s[0].length != p.size()) {
            throw new IllegalStateException("optimizer state '" + p.name() + "." + slotNames()[0] + "' has size "
                    + s[0].length + " but parameter " + p + " has size " + p.size());
        }
        return s;
    }

    @Override
    public String toString() {
        return name + "(" + settings + ")";
    }
}
