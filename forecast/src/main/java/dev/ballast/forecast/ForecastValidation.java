package dev.ballast.forecast;

import dev.ballast.training.Validation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A forecaster's validation: the mean absolute error, in the series' own units, of forecasts from
 * several origins in the validation part (never the hold-out). The best checkpoint is the one with the
 * lowest MAE.
 *
 * @param mae      mean |actual − forecast| over the validation origins and horizons
 * @param forecasts how many forecast values were scored
 */
public record ForecastValidation(double mae, long forecasts) implements Validation {

    @Override
    public double loss() {
        return mae;
    }

    @Override
    public Map<String, Number> metrics() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("mae", mae);
        m.put("forecasts", forecasts);
        return m;
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "MAE %.4f over %d forecast values", mae, forecasts);
    }
}
