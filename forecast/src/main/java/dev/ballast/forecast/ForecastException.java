package dev.ballast.forecast;

/**
 * A forecasting option or input the user chose cannot work (a flag out of range, a series too short for
 * the requested windows, a model file that is not a forecaster). The message is one line naming the
 * flag, file or value.
 */
public final class ForecastException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ForecastException(String message) {
        super(message);
    }
}
