package dev.ballast.forecast;

import dev.ballast.engine.io.AtomicFiles;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws a forecast as a self-contained SVG: the recent history (grey), the hold-out (black), the
 * forecast (blue) with its interval as a shaded band, and the forecast past the end of the data (dashed)
 * when there is one. Plain SVG text, no library.
 */
public final class SvgPlot {

    static final int WIDTH = 900;
    static final int HEIGHT = 360;
    static final int MARGIN = 50;

    private SvgPlot() {
    }

    public static void write(Path file, ForecastReport r) {
        AtomicFiles.writeString(file, render(r));
    }

    /** The SVG document. At most the last four horizons (or three seasons) of history are drawn. */
    public static String render(ForecastReport r) {
        int h = r.actual().length;
        int shown = Math.min(r.history().length, Math.max(4 * h, 3 * r.config().season()));
        int start = r.history().length - shown;
        int total = shown + h + r.future().length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] a : new double[][] {java.util.Arrays.copyOfRange(r.history(), start, r.history().length),
                r.actual(), r.lower(), r.upper(), r.futureLower(), r.futureUpper()}) {
            for (double v : a) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        Axis ax = new Axis(total, lo, hi);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\">%s: %d-step forecast, MASE %.3f "
                + "(seasonal naive %.3f)</text>%n", MARGIN, escape(r.source()), h, r.metrics().mase(),
                r.baselines().get("seasonal-naive").mase()));
        s.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%d\">%s</text><text x=\"5\" y=\"%d\">%s</text>%n",
                MARGIN, fmt(hi), HEIGHT - MARGIN, fmt(lo)));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>%n",
                MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN));
        band(s, ax, shown, r.lower(), r.upper());
        band(s, ax, shown + h, r.futureLower(), r.futureUpper());
        line(s, ax, 0, java.util.Arrays.copyOfRange(r.history(), start, r.history().length), "#888", "history", false);
        line(s, ax, shown, r.actual(), "black", "hold-out", false);
        line(s, ax, shown, r.forecast(), "#1f5fbf", "forecast", false);
        line(s, ax, shown + h, r.future(), "#1f5fbf", "future", true);
        s.append("</svg>\n");
        return s.toString();
    }

    private record Axis(int points, double lo, double hi) {
        double x(int i) {
            return MARGIN + (WIDTH - 2.0 * MARGIN) * i / Math.max(1, points - 1);
        }

        double y(double v) {
            return HEIGHT - MARGIN - (HEIGHT - 2.0 * MARGIN) * (v - lo) / (hi - lo);
        }
    }

    private static void line(StringBuilder s, Axis ax, int from, double[] v, String color, String title, boolean dashed) {
        if (v.length == 0) {
            return;
        }
        s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\"");
        if (dashed) {
            s.append(" stroke-dasharray=\"5,3\"");
        }
        s.append(" points=\"");
        for (int i = 0; i < v.length; i++) {
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", ax.x(from + i), ax.y(v[i])));
        }
        s.append("\"><title>").append(title).append("</title></polyline>\n");
    }

    private static void band(StringBuilder s, Axis ax, int from, double[] lower, double[] upper) {
        if (lower.length == 0) {
            return;
        }
        s.append("<polygon fill=\"#1f5fbf\" fill-opacity=\"0.18\" stroke=\"none\" points=\"");
        for (int i = 0; i < upper.length; i++) {
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", ax.x(from + i), ax.y(upper[i])));
        }
        for (int i = lower.length - 1; i >= 0; i--) {
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", ax.x(from + i), ax.y(lower[i])));
        }
        s.append("\"><title>interval</title></polygon>\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
