package dev.ballast.corpora.timeseries;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One univariate target series with optional time stamps and covariates, in time order.
 *
 * @param source         where it came from (a file name), for messages and provenance
 * @param valueName      the name of the target column
 * @param values         (n) the target values
 * @param times          (n) the time stamps, or null when the file has no time column
 * @param covariateNames names of the extra input columns, possibly empty
 * @param covariates     [k][n]: covariate k at time t is {@code covariates[k][t]}
 */
public record TimeSeries(String source, String valueName, double[] values, LocalDateTime[] times,
                         List<String> covariateNames, double[][] covariates) {

    public TimeSeries {
        covariateNames = List.copyOf(covariateNames);
        if (times != null && times.length != values.length) {
            throw new IllegalArgumentException("times has " + times.length + " entries, values " + values.length);
        }
        if (covariates.length != covariateNames.size()) {
            throw new IllegalArgumentException(covariates.length + " covariate columns but "
                    + covariateNames.size() + " names");
        }
        for (double[] c : covariates) {
            if (c.length != values.length) {
                throw new IllegalArgumentException("a covariate has " + c.length + " entries, values " + values.length);
            }
        }
    }

    /** A series with no time stamps and no covariates. */
    public static TimeSeries of(String source, String valueName, double[] values) {
        return new TimeSeries(source, valueName, values, null, List.of(), new double[0][]);
    }

    public int length() {
        return values.length;
    }
}
