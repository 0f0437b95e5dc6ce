package dev.ballast.training.chart;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one chart Ballast draws: an x-y chart written as SVG text by hand, self-contained (no scripts, no
 * fonts to fetch, no library), viewable in any browser and embeddable in an HTML page. The stability
 * report's charts and the forecast plot are both made with it.
 *
 * <p>It has a title (and an optional subtitle), axis labels, "nice" ticks (1, 2 or 5 times a power of ten
 * apart; 1-2-5 per decade on a log axis; whole calendar units on a time axis), light grid lines, and a
 * legend on the right when more than one thing is named. Lines can be solid, dashed, dotted, a step
 * function (the value holds until the next point, so every change shows as a jump) or carry a dot at
 * each point; a band shades the area between two curves. Non-finite values (and, on a log axis, values
 * at or below zero) break a line. A chart with nothing to draw, or (when asked) only zeros, is a short
 * note under the title instead of an empty box.
 *
 * <pre>{@code
 * String svg = new SvgChart("Loss").xLabel("step").yLabel("nats per token")
 *         .line("train", steps, loss, SvgChart.BLUE)
 *         .line("validation", valSteps, valLoss, SvgChart.RED, SvgChart.Style.MARKERS)
 *         .render();
 * }</pre>
 */
public final class SvgChart {

    /** How a line is drawn. */
    public enum Style {
        SOLID, DASHED, DOTTED,
        /** Horizontal to the next point's x, then vertical: a value that holds until it changes. */
        STEP,
        /** Solid, with a dot at each point: for series with few points. */
        MARKERS
    }

    public static final String BLUE = "#1f77b4";
    public static final String ORANGE = "#ff7f0e";
    public static final String GREEN = "#2ca02c";
    public static final String RED = "#d62728";
    public static final String PURPLE = "#9467bd";
    public static final String BROWN = "#8c564b";
    public static final String PINK = "#e377c2";
    public static final String GREY = "#7f7f7f";
    public static final String OLIVE = "#bcbd22";
    public static final String CYAN = "#17becf";
    public static final String BLACK = "#222222";
    /** Colours for series that are told apart only by colour, in order. */
    public static final List<String> PALETTE = List.of(BLUE, ORANGE, GREEN, RED, PURPLE, BROWN, PINK, GREY, OLIVE, CYAN);

    private static final double CHAR = 6.4; // mean advance of an 11 px sans-serif character
    private static final int TICK_FONT = 11;
    private static final int LEGEND_SWATCH = 30; // the line sample and the space after it
    private static final int LEGEND_GAP = 18;
    private static final int MIN_LEFT = 72; // charts stacked in a report start their plots at the same x

    /** A line or a band: what the legend lists, in the order they were added. */
    private sealed interface Item permits Line, Band {
        String name();
    }

    private record Line(String name, double[] x, double[] y, String color, Style style) implements Item {
    }

    private record Band(String name, double[] x, double[] lo, double[] hi, String color) implements Item {
    }

    private record Marker(double x, String label) {
    }

    private final String title;
    private String subtitle;
    private String xLabel;
    private String yLabel;
    private int width = 640;
    private int height = 260;
    private boolean logY;
    private boolean timeX;
    private final List<Double> xInclude = new ArrayList<>();
    private final List<Double> yInclude = new ArrayList<>();
    private String emptyMessage = "no data";
    private String zeroMessage;
    private final List<Item> items = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    public SvgChart(String title) {
        this.title = title;
    }

    /** Seconds since 1970 of {@code t} read as UTC: the x values of a {@link #timeX()} chart. */
    public static double seconds(LocalDateTime t) {
        return TimeTicks.seconds(t);
    }

    public SvgChart size(int width, int height) {
        this.width = width;
        this.height = height;
        return this;
    }

    /** A second, smaller line under the title (what is compared, the scores). */
    public SvgChart subtitle(String text) {
        this.subtitle = text;
        return this;
    }

    public SvgChart xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    public SvgChart yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    /** A log10 y axis; values at or below zero are left out. */
    public SvgChart logY() {
        this.logY = true;
        return this;
    }

    /** The x values are {@link #seconds(LocalDateTime) seconds} of date-times: the ticks are dates. */
    public SvgChart timeX() {
        this.timeX = true;
        return this;
    }

    /** Widens the x axis to show {@code x} (e.g. 0 for steps). */
    public SvgChart includeX(double x) {
        xInclude.add(x);
        return this;
    }

    /** Widens the y axis to show {@code y} (e.g. 0, so that a halving looks like one). */
    public SvgChart includeY(double y) {
        yInclude.add(y);
        return this;
    }

    /** The note shown instead of the chart when there is no point to draw (default "no data"). */
    public SvgChart ifEmpty(String message) {
        this.emptyMessage = message;
        return this;
    }

    /** The note shown instead of the chart when every value is zero (default: draw the zeros). */
    public SvgChart ifAllZero(String message) {
        this.zeroMessage = message;
        return this;
    }

    public SvgChart line(String name, double[] x, double[] y, String color) {
        return line(name, x, y, color, Style.SOLID);
    }

    /** A line through (x[i], y[i]); a null {@code name} keeps it out of the legend. */
    public SvgChart line(String name, double[] x, double[] y, String color, Style style) {
        items.add(new Line(name, x, y, color, style));
        return this;
    }

    /** A shaded area between {@code lo} and {@code hi}, drawn under the lines. */
    public SvgChart band(String name, double[] x, double[] lo, double[] hi, String color) {
        items.add(new Band(name, x, lo, hi, color));
        return this;
    }

    /** A dashed vertical line at {@code x} with a label above the plot. */
    public SvgChart marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    private boolean usable(double v) {
        return Double.isFinite(v) && (!logY || v > 0);
    }

    private double ty(double v) {
        return logY ? Math.log10(v) : v;
    }

    /** The SVG document. */
    public String render() {
        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        boolean[] nonZero = {false};
        for (Item item : items) {
            if (item instanceof Line l) {
                extend(l.x, l.y, xr, yr, nonZero);
            } else if (item instanceof Band b) {
                extend(b.x, b.lo, xr, yr, nonZero);
                extend(b.x, b.hi, xr, yr, nonZero);
            }
        }
        if (xr[0] > xr[1]) {
            return note(emptyMessage);
        }
        if (zeroMessage != null && !nonZero[0]) {
            return note(zeroMessage);
        }
        for (double x : xInclude) {
            xr[0] = Math.min(xr[0], x);
            xr[1] = Math.max(xr[1], x);
        }
        for (double y : yInclude) {
            if (usable(y)) {
                yr[0] = Math.min(yr[0], y);
                yr[1] = Math.max(yr[1], y);
            }
        }
        Ticks yt = logY ? Ticks.log(yr[0], yr[1], 5) : Ticks.linear(yr[0], yr[1], 5, true);

        List<String> legend = items.stream().map(Item::name).filter(java.util.Objects::nonNull).toList();
        boolean showLegend = legend.size() > 1;
        int tickWidth = (int) Math.ceil(CHAR * java.util.Arrays.stream(yt.labels()).mapToInt(String::length).max().orElse(1));
        int left = Math.max(MIN_LEFT, 10 + (yLabel != null ? 18 : 0) + tickWidth + 6);
        // The legend is one row under the title when it fits (charts stacked in a report keep the same plot
        // width), else a column on the right.
        int rowWidth = legend.stream().mapToInt(name -> LEGEND_SWATCH + (int) Math.ceil(CHAR * name.length()) + LEGEND_GAP).sum();
        boolean legendRow = showLegend && rowWidth <= width - left - 20;
        int legendWidth = showLegend && !legendRow
                ? LEGEND_SWATCH + (int) Math.ceil(CHAR * legend.stream().mapToInt(String::length).max().orElse(0)) : 0;
        int right = legendWidth > 0 ? legendWidth + 20 : 20;
        int top = 30 + (subtitle != null ? 16 : 0) + (legendRow ? 18 : 0) + (markers.isEmpty() ? 0 : 14);
        int bottom = 24 + (xLabel != null ? 16 : 0);
        int pw = width - left - right;
        int ph = height - top - bottom;
        Ticks xt = timeX ? TimeTicks.of(xr[0], xr[1], Math.max(2, pw / 90))
                : Ticks.linear(xr[0], xr[1], Math.max(2, pw / 80), false);
        Frame f = new Frame(left, top, pw, ph, xt.lo(), xt.hi(), ty(yt.lo()), ty(yt.hi()));

        StringBuilder sb = new StringBuilder();
        header(sb, height);
        // grid and ticks
        for (int i = 0; i < yt.values().length; i++) {
            double py = f.y(ty(yt.values()[i]));
            sb.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>%n", left, py, left + pw, py));
            sb.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%s</text>%n", left - 6, py + 4,
                    escape(yt.labels()[i])));
        }
        for (int i = 0; i < xt.values().length; i++) {
            double px = f.x(xt.values()[i]);
            sb.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#f0f0f0\"/>%n", px, top, px, top + ph));
            sb.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>%n", px, top + ph, px, top + ph + 4));
            sb.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>%n", px, top + ph + 16,
                    escape(xt.labels()[i])));
        }
        items.stream().filter(i -> i instanceof Band).forEach(b -> band(sb, f, (Band) b)); // bands under lines
        items.stream().filter(i -> i instanceof Line).forEach(l -> line(sb, f, (Line) l));
        for (Marker m : markers) {
            if (m.x >= f.x0 && m.x <= f.x1) {
                double px = f.x(m.x);
                sb.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" stroke-dasharray=\"3 3\"/>%n",
                        px, top - 4, px, top + ph));
                sb.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\" font-size=\"10\">%s</text>%n",
                        px, top - 7, escape(m.label)));
            }
        }
        sb.append(fmt("<path d=\"M%d %d V%d H%d\" fill=\"none\" stroke=\"#444\"/>%n", left, top, top + ph, left + pw));
        if (xLabel != null) {
            sb.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", left + pw / 2.0, height - 6,
                    escape(xLabel)));
        }
        if (yLabel != null) {
            sb.append(fmt("<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>%n",
                    top + ph / 2.0, escape(yLabel + (logY ? " (log scale)" : ""))));
        }
        if (legendRow) {
            legend(sb, left, 24 + (subtitle != null ? 16 : 0) + 12, true);
        } else if (showLegend) {
            legend(sb, left + pw + 16, top + 4, false);
        }
        return sb.append("</svg>\n").toString();
    }

    private void extend(double[] x, double[] y, double[] xr, double[] yr, boolean[] nonZero) {
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (usable(y[i]) && Double.isFinite(x[i])) {
                xr[0] = Math.min(xr[0], x[i]);
                xr[1] = Math.max(xr[1], x[i]);
                yr[0] = Math.min(yr[0], y[i]);
                yr[1] = Math.max(yr[1], y[i]);
                nonZero[0] |= y[i] != 0;
            }
        }
    }

    /** Maps data to pixels: x linearly, y (already log10 on a log axis) linearly. */
    private record Frame(int left, int top, int pw, int ph, double x0, double x1, double y0, double y1) {
        double x(double v) {
            return left + pw * (v - x0) / (x1 - x0);
        }

        double y(double v) {
            return top + ph - ph * (v - y0) / (y1 - y0);
        }
    }

    private void header(StringBuilder sb, int h) {
        sb.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"%d\" role=\"img\" aria-label=\"%s\">%n",
                width, h, width, h, TICK_FONT, escape(title)));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(fmt("<text x=\"10\" y=\"19\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", escape(title)));
        if (subtitle != null) {
            sb.append(fmt("<text x=\"10\" y=\"36\" fill=\"#555\">%s</text>%n", escape(subtitle)));
        }
    }

    /** The title and a one-line note, where a chart would say nothing. */
    private String note(String message) {
        int h = subtitle != null ? 64 : 48;
        StringBuilder sb = new StringBuilder();
        header(sb, h);
        sb.append(fmt("<text x=\"10\" y=\"%d\" fill=\"#555\" font-style=\"italic\">%s</text>%n", h - 10, escape(message)));
        return sb.append("</svg>\n").toString();
    }

    private void line(StringBuilder sb, Frame f, Line l) {
        List<double[]> pts = new ArrayList<>(); // pixel points of the current unbroken run
        StringBuilder d = new StringBuilder();
        int n = Math.min(l.x.length, l.y.length);
        int drawn = 0;
        for (int i = 0; i <= n; i++) {
            boolean ok = i < n && usable(l.y[i]) && Double.isFinite(l.x[i]);
            if (ok) {
                pts.add(new double[] {f.x(l.x[i]), f.y(ty(l.y[i]))});
                drawn++;
            } else if (!pts.isEmpty()) {
                path(d, thin(pts, f.pw), l.style == Style.STEP);
                pts.clear();
            }
        }
        sb.append(fmt("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" stroke-linejoin=\"round\"%s>",
                d.toString().trim(), l.color, dash(l.style)));
        sb.append(l.name != null ? "<title>" + escape(l.name) + "</title>" : "").append("</path>\n");
        if (l.style == Style.MARKERS && drawn <= 300) {
            for (int i = 0; i < n; i++) {
                if (usable(l.y[i]) && Double.isFinite(l.x[i])) {
                    sb.append(fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", f.x(l.x[i]),
                            f.y(ty(l.y[i])), l.color));
                }
            }
        }
    }

    private static String dash(Style style) {
        return switch (style) {
            case DASHED -> " stroke-dasharray=\"6 4\"";
            case DOTTED -> " stroke-dasharray=\"2 3\"";
            default -> "";
        };
    }

    private static void path(StringBuilder d, List<double[]> pts, boolean step) {
        for (int i = 0; i < pts.size(); i++) {
            double[] p = pts.get(i);
            if (i == 0) {
                d.append(fmt("M%.1f %.1f ", p[0], p[1]));
            } else if (step) {
                d.append(fmt("H%.1f V%.1f ", p[0], p[1]));
            } else {
                d.append(fmt("L%.1f %.1f ", p[0], p[1]));
            }
        }
    }

    /**
     * At most four points per pixel column (the first, lowest, highest and last), in their order: a long
     * run draws the same picture from a path a few times the plot's width, spikes included.
     */
    static List<double[]> thin(List<double[]> pts, int pixels) {
        if (pts.size() <= 4 * pixels) {
            return pts;
        }
        List<double[]> out = new ArrayList<>();
        int i = 0;
        while (i < pts.size()) {
            long column = Math.round(pts.get(i)[0]);
            int j = i;
            int lo = i;
            int hi = i;
            while (j < pts.size() && Math.round(pts.get(j)[0]) == column) {
                lo = pts.get(j)[1] > pts.get(lo)[1] ? j : lo; // pixel y grows downwards
                hi = pts.get(j)[1] < pts.get(hi)[1] ? j : hi;
                j++;
            }
            int last = j - 1;
            int[] keep = {i, Math.min(lo, hi), Math.max(lo, hi), last};
            int prev = -1;
            for (int k : keep) {
                if (k != prev) {
                    out.add(pts.get(k));
                    prev = k;
                }
            }
            i = j;
        }
        return out;
    }

    private void band(StringBuilder sb, Frame f, Band b) {
        List<String> upper = new ArrayList<>();
        List<String> lower = new ArrayList<>();
        int n = Math.min(b.x.length, Math.min(b.lo.length, b.hi.length));
        for (int i = 0; i < n; i++) {
            if (usable(b.lo[i]) && usable(b.hi[i]) && Double.isFinite(b.x[i])) {
                upper.add(fmt("%.1f,%.1f", f.x(b.x[i]), f.y(ty(b.hi[i]))));
                lower.add(fmt("%.1f,%.1f", f.x(b.x[i]), f.y(ty(b.lo[i]))));
            }
        }
        if (upper.isEmpty()) {
            return;
        }
        java.util.Collections.reverse(lower);
        upper.addAll(lower);
        sb.append(fmt("<polygon points=\"%s\" fill=\"%s\" fill-opacity=\"0.2\" stroke=\"none\">", String.join(" ", upper),
                b.color));
        sb.append(b.name != null ? "<title>" + escape(b.name) + "</title>" : "").append("</polygon>\n");
    }

    /** The named lines and bands, in a row from (x, y) or in a column down from it. */
    private void legend(StringBuilder sb, int x, int y, boolean row) {
        for (Item item : items) {
            if (item.name() == null) {
                continue;
            }
            if (item instanceof Band b) {
                sb.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"24\" height=\"10\" fill=\"%s\" fill-opacity=\"0.2\"/>%n",
                        x, y - 5, b.color));
            } else {
                Line l = (Line) item;
                sb.append(fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                        x, y, x + 24, y, l.color, dash(l.style)));
                if (l.style == Style.MARKERS) {
                    sb.append(fmt("<circle cx=\"%d\" cy=\"%d\" r=\"2.5\" fill=\"%s\"/>%n", x + 12, y, l.color));
                }
            }
            sb.append(fmt("<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y + 4, escape(item.name())));
            if (row) {
                x += LEGEND_SWATCH + (int) Math.ceil(CHAR * item.name().length()) + LEGEND_GAP;
            } else {
                y += 17;
            }
        }
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Text made safe for SVG and HTML content and attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
