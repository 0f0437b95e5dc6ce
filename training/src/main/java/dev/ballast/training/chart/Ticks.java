package dev.ballast.training.chart;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where an axis puts its ticks and what it writes at them: "nice" values, 1, 2 or 5 times a power of ten
 * apart on a linear axis (so 0, 0.5, 1, 1.5 and never 0.4528), and 1-2-5 within each decade on a log
 * axis. Labels keep the digits the step needs and no more.
 *
 * @param lo     the axis starts here (a tick value when the axis was widened to its ticks)
 * @param hi     the axis ends here
 * @param values the tick positions, ascending, all within [lo, hi]
 * @param labels what is written at each tick
 */
record Ticks(double lo, double hi, double[] values, String[] labels) {

    private static final double[] STEPS = {1, 2, 5, 10};

    /**
     * Linear ticks about {@code target} in number over [lo, hi]; with {@code widen} the axis grows to the
     * ticks just outside the data, so the data ends on a labelled value.
     */
    static Ticks linear(double lo, double hi, int target, boolean widen) {
        if (!(hi > lo)) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            lo -= pad;
            hi += pad;
        }
        double step = step((hi - lo) / Math.max(1, target));
        if (widen) {
            lo = Math.floor(lo / step + 1e-9) * step;
            hi = Math.ceil(hi / step - 1e-9) * step;
        }
        List<Double> v = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
            v.add(k * step == 0 ? 0.0 : k * step); // no -0
        }
        double[] values = v.stream().mapToDouble(Double::doubleValue).toArray();
        return new Ticks(lo, hi, values, format(values, step));
    }

    /** The 1-2-5 step at or above {@code raw}. */
    static double step(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : STEPS) {
            if (m * mag >= raw * (1 - 1e-9)) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    /**
     * Log ticks over [lo, hi] (both positive): powers of ten when the data spans three decades or more,
     * else 1, 2 and 5 times them, else 1 to 9 times them; when even that gives fewer than three ticks,
     * linear nice ticks. The axis widens to the ticks just outside the data.
     */
    static Ticks log(double lo, double hi, int target) {
        if (!(hi > lo)) {
            lo /= 2;
            hi *= 2;
        }
        int d0 = (int) Math.floor(Math.log10(lo) + 1e-9);
        int d1 = (int) Math.ceil(Math.log10(hi) - 1e-9);
        for (double[] mantissas : new double[][] {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            if (mantissas.length == 1 && d1 - d0 < 3) {
                continue;
            }
            List<Double> all = new ArrayList<>();
            int every = mantissas.length == 1 ? Math.max(1, (d1 - d0 + target - 1) / target) : 1;
            for (int d = d0; d <= d1; d++) {
                if (mantissas.length == 1 && (d - d0) % every != 0) {
                    continue;
                }
                for (double m : mantissas) {
                    all.add(m * Math.pow(10, d));
                }
            }
            double below = all.get(0); // the largest tick at or under lo
            for (double t : all) {
                below = t <= lo * (1 + 1e-9) ? t : below;
            }
            double above = all.get(all.size() - 1); // the smallest at or over hi
            for (int i = all.size() - 1; i >= 0; i--) {
                above = all.get(i) >= hi * (1 - 1e-9) ? all.get(i) : above;
            }
            final double a = below;
            final double b = above;
            double[] values = all.stream().mapToDouble(Double::doubleValue)
                    .filter(t -> t >= a * (1 - 1e-9) && t <= b * (1 + 1e-9)).toArray();
            if (values.length >= 3 && values.length <= 2 * target + 1) {
                String[] labels = new String[values.length];
                for (int i = 0; i < values.length; i++) {
                    labels[i] = shortest(values[i]);
                }
                return new Ticks(a, b, values, labels);
            }
        }
        return linear(lo, hi, target, true);
    }

    /** Labels for ticks {@code step} apart: the decimals the step needs, the same for every tick. */
    static String[] format(double[] values, double step) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        String[] out = new String[values.length];
        if (max >= 1e5) { // 100k, 1.5M: fewer digits to read
            double unit = max >= 1e6 ? 1e6 : 1e3;
            String suffix = unit == 1e6 ? "M" : "k";
            int decimals = decimals(step / unit);
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i] == 0 ? "0" : fixed(values[i] / unit, decimals) + suffix;
            }
            return out;
        }
        int decimals = decimals(step);
        if (decimals > 4) { // 0.00002 is hard to count: 2e-5
            int exp = (int) Math.floor(Math.log10(max) + 1e-9);
            int d = decimals(step / Math.pow(10, exp));
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i] == 0 ? "0" : fixed(values[i] / Math.pow(10, exp), d) + "e" + exp;
            }
            return out;
        }
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == 0 ? "0" : fixed(values[i], decimals);
        }
        return out;
    }

    /** Decimals that a 1-2-5 step needs: 0.5 needs 1, 0.02 needs 2, 50 needs none. */
    private static int decimals(double step) {
        return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A single value with at most four significant digits and no trailing zeros: 0.2, 5, 1e-6, 20k. */
    static String shortest(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new java.math.MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        if (a >= 1e5) {
            return a >= 1e6 ? shortest(v / 1e6) + "M" : shortest(v / 1e3) + "k";
        }
        if (a < 1e-4) {
            String s = String.format(Locale.ROOT, "%.3e", v);
            String mantissa = s.substring(0, s.indexOf('e')).replaceAll("\\.?0+$", "");
            return mantissa + "e" + Integer.parseInt(s.substring(s.indexOf('e') + 1));
        }
        return d.toPlainString();
    }
}
