package dev.ballast.forecast;

import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.engine.io.AtomicFiles;
import dev.ballast.training.chart.SvgChart;
import dev.ballast.training.chart.SvgChart.Style;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * The forecast plot ({@code ballast forecast --plot}), drawn with {@link SvgChart}: the recent history, the
 * hold-out's actual values, the model's forecast of them with its prediction interval as a band, each
 * baseline's forecast of the same hold-out, and the forecast past the end of the data when there is one.
 * The title says what is compared; the legend gives each forecast's MASE. With the series' time stamps
 * the x axis is dated.
 */
public final class SvgPlot {

    static final int WIDTH = 960;
    static final int HEIGHT = 420;

    /** Baseline name (as in {@link ForecastReport#baselines()}) -> how the plot names and draws it. */
    private static final Map<String, String[]> BASELINES = Map.of(
            "seasonal-naive", new String[] {"seasonal naive", SvgChart.ORANGE},
            "naive", new String[] {"naive", SvgChart.GREEN},
            "drift", new String[] {"drift", SvgChart.PURPLE});

    private SvgPlot() {
    }

    public static void write(Path file, ForecastReport r, TimeSeries series) {
        AtomicFiles.writeString(file, render(r, series));
    }

    /** The plot with an index axis (no time stamps known). */
    public static String render(ForecastReport r) {
        return render(r, null);
    }

    /**
     * The SVG document. At most the last four horizons (or three seasons) of history are drawn. With
     * {@code series} (the data the report was made from) the x axis shows its dates, when it has them, and
     * the y axis its value column's name.
     */
    public static String render(ForecastReport r, TimeSeries series) {
        int h = r.actual().length;
        int cut = r.history().length; // index of the first hold-out point
        int shown = Math.min(cut, Math.max(4 * h, 3 * r.config().season()));
        int start = cut - shown;
        LocalDateTime[] times = series != null && series.times() != null && series.times().length == cut + h
                ? extend(series.times(), r.future().length) : null;
        double[] x = new double[cut + h + r.future().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = times != null ? SvgChart.seconds(times[i]) : i + 1;
        }
        boolean baselines = r.baselineValues() != null && !r.baselineValues().isEmpty();
        SvgChart chart = new SvgChart(title(h, baselines)).subtitle(subtitle(r)).size(WIDTH, HEIGHT)
                .yLabel(series != null ? series.valueName() : "value");
        if (times != null) {
            chart.timeX();
        } else {
            chart.xLabel("index in the series (first point = 1)");
        }
        double[] holdoutX = slice(x, cut, cut + h);
        // The hold-out's actual values continue the history line, so the data reads as one series.
        chart.line("history", slice(x, start, cut), slice(r.history(), start, cut), SvgChart.GREY)
                .line("hold-out (actual)", slice(x, cut - 1, cut + h), join(r.history()[cut - 1], r.actual()),
                        SvgChart.BLACK, Style.MARKERS)
                .line("forecast " + mase(r.metrics()), holdoutX, r.forecast(), SvgChart.BLUE, Style.MARKERS)
                .band(Math.round(100 * r.config().interval()) + "% interval", holdoutX, r.lower(), r.upper(),
                        SvgChart.BLUE);
        if (baselines) {
            r.baselineValues().forEach((name, values) -> {
                String[] look = BASELINES.getOrDefault(name, new String[] {name, SvgChart.BROWN});
                chart.line(look[0] + " " + mase(r.baselines().get(name)), holdoutX, values, look[1], Style.DASHED);
            });
        }
        if (r.future().length > 0) {
            double[] futureX = slice(x, cut + h, x.length);
            chart.line("forecast past the data", futureX, r.future(), SvgChart.BLUE, Style.DOTTED)
                    .band(null, futureX, r.futureLower(), r.futureUpper(), SvgChart.BLUE)
                    .marker((x[cut + h - 1] + x[cut + h]) / 2, "end of data");
        }
        return chart.marker((x[cut - 1] + x[cut]) / 2, "hold-out").render();
    }

    private static String title(int h, boolean baselines) {
        return "Forecast of the last " + h + " points vs. their actual values"
                + (baselines ? " and the naive, seasonal-naive and drift baselines" : "");
    }

    private static String subtitle(ForecastReport r) {
        return r.source() + "; MASE in the legend, lower is better";
    }

    private static String mase(ForecastMetrics m) {
        return m == null ? "" : String.format(Locale.ROOT, "(MASE %.3f)", m.mase());
    }

    /** {@code times} with {@code n} more stamps, spaced as the last two (whole months when they are). */
    static LocalDateTime[] extend(LocalDateTime[] times, int n) {
        LocalDateTime[] out = java.util.Arrays.copyOf(times, times.length + n);
        if (n == 0) {
            return out;
        }
        LocalDateTime a = times[times.length - 2 >= 0 ? times.length - 2 : 0];
        LocalDateTime b = times[times.length - 1];
        long months = ChronoUnit.MONTHS.between(a, b);
        boolean monthly = months > 0 && a.plusMonths(months).equals(b);
        Duration step = times.length > 1 ? Duration.between(a, b) : Duration.ofDays(1);
        for (int i = 0; i < n; i++) {
            out[times.length + i] = monthly ? b.plusMonths(months * (i + 1)) : b.plus(step.multipliedBy(i + 1));
        }
        return out;
    }

    private static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static double[] join(double first, double[] rest) {
        double[] out = new double[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
