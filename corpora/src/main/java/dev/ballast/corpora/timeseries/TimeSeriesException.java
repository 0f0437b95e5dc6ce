package dev.ballast.corpora.timeseries;

import dev.ballast.engine.InputException;

/**
 * A time-series file or option the user supplied cannot be used. The message is one line naming the
 * file, and where it applies the row and column, so the CLI can print it as it is.
 */
public final class TimeSeriesException extends InputException {

    private static final long serialVersionUID = 1L;

    public TimeSeriesException(String message) {
        super(message);
    }

    private TimeSeriesException(String subject, String template) {
        super(subject, template, null);
    }

    /** The value of {@code field} cannot be used (see {@link InputException#field}). */
    public static TimeSeriesException field(String field, String problem) {
        return new TimeSeriesException(field, problem);
    }

    /** A message naming configuration fields as {@code {name}} (see {@link InputException}). */
    public static TimeSeriesException naming(String template) {
        return new TimeSeriesException(null, template);
    }
}
