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
}
