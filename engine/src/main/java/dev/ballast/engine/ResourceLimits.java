package dev.ballast.engine;

import java.util.Locale;

/**
 * Limits checked before anything large is allocated, in one place for every command: thread counts,
 * sizes that must fit a Java array (in {@code long} arithmetic, so nothing overflows on the way), and a
 * memory estimate against the heap. Each check fails with one line that names the flag or file field and
 * says what to do, instead of an {@code OutOfMemoryError} or an overflowed size minutes later.
 *
 * <pre>{@code
 * ResourceLimits.checkThreads("--threads", threads);
 * long p = ResourceLimits.recurrentParameters(4, 64, 256, 2, "lower --hidden");  // LSTM: 4 gates
 * ResourceLimits.checkHeap("the model", ResourceLimits.trainingBytes(p, activations),
 *         "lower --hidden, --layers or --batch");
 * }</pre>
 */
public final class ResourceLimits {

    /** The largest Java array Ballast allocates, in elements (a little under 2^31, as the JVM allows). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;
    /** Thread counts above this are refused on any machine. */
    public static final int MAX_THREADS = 256;
    /** Threads per core allowed (more only adds switching). */
    public static final int THREADS_PER_CORE = 4;
    /**
     * Floats per parameter while training: weights, gradients, two optimizer slots, the monitor's copy of
     * the weights before an update, up to three in-memory snapshots of weights and slots for rollbacks, and
     * the copies a checkpoint save makes.
     */
    public static final int TRAINING_FLOATS_PER_PARAMETER = 18;
    /** Floats per parameter while loading a model: the weights and the file's tensors read before copying. */
    public static final int LOADING_FLOATS_PER_PARAMETER = 3;
    /** Share of the free heap an estimate may take; the rest is the JVM's and the data's. */
    static final double HEAP_SHARE = 0.9;

    private ResourceLimits() {
    }

    /** At most {@value #THREADS_PER_CORE} per core, and never more than {@value #MAX_THREADS}. */
    public static int maxThreads() {
        return Math.min(MAX_THREADS, THREADS_PER_CORE * Runtime.getRuntime().availableProcessors());
    }

    /** {@code flag} (e.g. {@code --threads}) must be 0 (one per core) up to {@link #maxThreads()}. */
    public static void checkThreads(String flag, long threads) {
        if (threads < 0) {
            throw new InputException(flag + " must be at least 0 (0 = one per core), got " + threads);
        }
        int max = maxThreads();
        if (threads > max) {
            int cores = Runtime.getRuntime().availableProcessors();
            throw new InputException(flag + " " + threads + " is more than this machine can use: at most " + max
                    + " (" + THREADS_PER_CORE + " per core on " + cores + " core" + (cores == 1 ? "" : "s")
                    + ", never above " + MAX_THREADS + "; 0 = one per core)");
        }
    }

    /** {@code a * b}, or a InputException naming {@code what} when it overflows a long. */
    public static long multiply(String what, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new InputException(what + " is too large: " + a + " x " + b + " overflows");
        }
    }

    /**
     * The element count of an array with dimensions {@code dims}, checked to fit one Java array.
     *
     * @param what   names the array for the message, e.g. {@code "layers.0.w_recurrent (--hidden x 4 --hidden)"}
     * @param remedy what to do, e.g. {@code "lower --hidden"}
     */
    public static int arraySize(String what, String remedy, long... dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new InputException(what + " has a negative size " + d);
            }
            n = multiplyOrMax(n, d);
        }
        if (n > MAX_ARRAY) {
            throw new InputException(what + " would hold " + (n == Long.MAX_VALUE ? "more than 2^63" : count(n))
                    + " values, more than a Java array can (" + count(MAX_ARRAY) + "): " + remedy);
        }
        return (int) n;
    }

    /** A size read from a file must be in {@code [min, max]}: one line naming the file and field otherwise. */
    public static int sizeField(String file, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InputException(file + ": " + field + " is " + value + ", outside [" + min + ", " + max + "]");
        }
        return (int) value;
    }

    /**
     * Parameters of a stack of {@code layers} recurrent layers of {@code gates} gates each (4 for an LSTM,
     * 1 for a vanilla RNN: input weights, recurrent weights, bias per
     * layer; the first reads {@code input} values, the others {@code hidden}), in long arithmetic. Each
     * weight matrix must fit one array; {@code remedy} says what to lower in that message.
     */
    public static long recurrentParameters(int gates, long input, long hidden, long layers, String remedy) {
        long gh = multiplyOrMax(gates, hidden);
        long total = 0;
        for (long l = 0; l < Math.min(layers, 2); l++) { // layers from 1 up are all alike
            long in = l == 0 ? input : hidden;
            String name = "layers." + l;
            arraySize(name + ".w_input (" + in + " x " + gates + " x " + hidden + ")", remedy, in, gh);
            arraySize(name + ".w_recurrent (" + hidden + " x " + gates + " x " + hidden + ")", remedy, hidden, gh);
            long one = addOrMax(addOrMax(multiplyOrMax(in, gh), multiplyOrMax(hidden, gh)), gh);
            total = addOrMax(total, l == 0 ? one : multiplyOrMax(one, layers - 1));
        }
        return total;
    }

    /** Bytes training needs for {@code parameters} and {@code activationFloats} of activations and their gradients. */
    public static long trainingBytes(long parameters, long activationFloats) {
        return multiplyOrMax(4, addOrMax(multiplyOrMax(parameters, TRAINING_FLOATS_PER_PARAMETER), activationFloats));
    }

    /** Bytes loading and running a model of {@code parameters} takes, with {@code activationFloats} of work space. */
    public static long loadingBytes(long parameters, long activationFloats) {
        return multiplyOrMax(4, addOrMax(multiplyOrMax(parameters, LOADING_FLOATS_PER_PARAMETER), activationFloats));
    }

    /** The heap this JVM may still use (its -Xmx less what is in use now). */
    public static long availableHeap() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /**
     * Refuses an estimate of {@code bytes} that does not fit the heap:
     * {@code "the model needs 6.4 GB, the heap is 4.0 GB: lower --hidden or set BALLAST_JAVA_OPTS (e.g. -Xmx8g)"}.
     *
     * @param what   the subject, e.g. {@code "the model"} or {@code "runs/a/model.json: the model"}
     * @param remedy what to lower, e.g. {@code "lower --hidden, --layers or --batch"}
     */
    public static void checkHeap(String what, long bytes, String remedy) {
        long available = availableHeap();
        if (bytes > HEAP_SHARE * available) {
            long suggest = Math.max(2, (long) Math.ceil(bytes / HEAP_SHARE / (1L << 30)) + 1);
            throw new InputException(what + " needs " + bytes(bytes) + ", the heap is " + bytes(Runtime.getRuntime().maxMemory())
                    + (available < Runtime.getRuntime().maxMemory() * 0.95 ? " (" + bytes(available) + " free)" : "")
                    + ": " + remedy + " or set BALLAST_JAVA_OPTS (e.g. -Xmx" + (suggest > 1 << 20 ? "..." : suggest + "g") + ")");
        }
    }

    /** {@code 6.4 GB}, {@code 512 MB}, {@code 12 KB}: powers of 1024, one decimal below 10. */
    public static String bytes(long b) {
        String[] units = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return b + " bytes";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** a * b for non-negative values, saturating at Long.MAX_VALUE instead of overflowing. */
    public static long multiplyOrMax(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** a + b for non-negative values, saturating at Long.MAX_VALUE. */
    public static long addOrMax(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
