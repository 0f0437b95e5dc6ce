package dev.ballast.forecast;

import dev.ballast.corpora.timeseries.TimeSeries;
import dev.ballast.corpora.timeseries.TimeSeriesCsv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The series {@code ballast forecast} uses when no file is given, so the command works offline: 144
 * months (2012-01 to 2023-12) of a synthetic monthly electricity demand in GWh, made for Ballast (no
 * third-party data):
 * <pre>
 *   y_t = 520 + 0.3 t + 60 cos(2 pi t / 12) + 25 cos(4 pi t / 12) + e_t,   e_t = 0.5 e_{t-1} + N(0, 12^2)
 * </pre>
 * (a winter peak, a smaller summer air-conditioning bump, a slow trend and autocorrelated noise; Python's
 * {@code random.seed(7)}, rounded to 0.1). Season 12.
 */
public final class DefaultSeries {

    /** The resource path of the CSV (columns Month, Demand). */
    public static final String RESOURCE = "default-series.csv";
    public static final String VALUE_COLUMN = "Demand";
    public static final String TIME_COLUMN = "Month";
    public static final int SEASON = 12;

    private DefaultSeries() {
    }

    public static TimeSeries load() {
        try (InputStream in = DefaultSeries.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return TimeSeriesCsv.parse(text, "default series (synthetic monthly demand)",
                    TimeSeriesCsv.Options.of(VALUE_COLUMN).withTimeColumn(TIME_COLUMN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
