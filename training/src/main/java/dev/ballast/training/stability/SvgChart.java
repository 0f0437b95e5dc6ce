package dev.ballast.training.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart written as SVG text by hand: no plotting library, viewable in any browser and embeddable
 * in the HTML report. Non-finite points break the line; a log scale is available for gradient norms.
 *
 * <pre>{@code
 * String svg = new SvgChart("Loss", "step", false).line("train", steps, loss, "#1f77b4").render();
 * }</pre>
 */
public final class SvgChart {

    static final int WIDTH = 640;
    static final int HEIGHT = 240;
    private static final int LEFT = 60;
    private static final int RIGHT = 110;
    private static final int TOP = 28;
    private static final int BOTTOM = 34;

    private record Line(String name, double[] x, double[] y, String color, boolean dashed) {
    }

    private final String title;
    private final String xLabel;
    private final boolean logY;
    private final List<Line> lines = new ArrayList<>();

    public SvgChart(String title, String xLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.logY = logY;
    }

    public SvgChart line(String name, double[] x, double[] y, String color) {
        lines.add(new Line(name, x, y, color, false));
        return this;
    }

    public SvgChart dashed(String name, double[] x, double[] y, String color) {
        lines.add(new Line(name, x, y, color, true));
        return this;
    }

    private double ty(double v) {
        return logY ? Math.log10(v) : v;
    }

    private boolean usable(double v) {
        return Double.isFinite(v) && (!logY || v > 0);
    }

    public String render() {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (int i = 0; i < Math.min(l.x.length, l.y.length); i++) {
                if (usable(l.y[i]) && Double.isFinite(l.x[i])) {
                    x0 = Math.min(x0, l.x[i]);
                    x1 = Math.max(x1, l.x[i]);
                    y0 = Math.min(y0, ty(l.y[i]));
                    y1 = Math.max(y1, ty(l.y[i]));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title + (logY ? " (log scale)" : ""))));
        int pw = WIDTH - LEFT - RIGHT;
        int ph = HEIGHT - TOP - BOTTOM;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
                LEFT, TOP, pw, ph));
        if (x0 > x1) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no data</text>%n", LEFT + 10, TOP + 20));
            return sb.append("</svg>\n").toString();
        }
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        if (y1 == y0) {
            y1 = y0 + (y0 == 0 ? 1 : Math.abs(y0) * 0.1);
        }
        final double fx0 = x0;
        final double fx1 = x1;
        final double fy0 = y0;
        final double fy1 = y1;
        for (int t = 0; t <= 4; t++) {
            double v = fy0 + (fy1 - fy0) * t / 4;
            double py = TOP + ph - ph * t / 4.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, py, LEFT + pw, py));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 4, py + 4, label(logY ? Math.pow(10, v) : v)));
            double xv = fx0 + (fx1 - fx0) * t / 4;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + pw * t / 4.0, TOP + ph + 14, label(xv)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + pw / 2, HEIGHT - 4, escape(xLabel)));
        int legendY = TOP + 10;
        for (Line l : lines) {
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < Math.min(l.x.length, l.y.length); i++) {
                if (!usable(l.y[i])) {
                    pen = false;
                    continue;
                }
                double px = LEFT + pw * (l.x[i] - fx0) / (fx1 - fx0);
                double py = TOP + ph - ph * (ty(l.y[i]) - fy0) / (fy1 - fy0);
                d.append(pen ? 'L' : 'M').append(String.format(Locale.ROOT, "%.1f %.1f ", px, py));
                pen = true;
            }
            sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.3\"%s/>%n",
                    d.toString().trim(), l.color, l.dashed ? " stroke-dasharray=\"5 3\"" : ""));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    LEFT + pw + 8, legendY, LEFT + pw + 24, legendY, l.color, l.dashed ? " stroke-dasharray=\"5 3\"" : ""));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + pw + 28, legendY + 4,
                    escape(l.name)));
            legendY += 16;
        }
        return sb.append("</svg>\n").toString();
    }

    private static String label(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
