package dev.ballast.corpora.timeseries;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/** Applies a {@link FillPolicy} to the NaN-marked missing cells of parsed columns. */
final class Gaps {

    private Gaps() {
    }

    // cols: [1 + k][n], column 0 is the target; lines: (n) file line of each row
    static TimeSeries fill(String source, String valueName, double[][] cols, LocalDateTime[] times, int[] lines,
                           List<String> covNames, FillPolicy policy) {
        int n = cols[0].length;
        if (policy == FillPolicy.DROP) {
            boolean[] keep = new boolean[n];
            int kept = 0;
            for (int r = 0; r < n; r++) {
                keep[r] = true;
                for (double[] c : cols) {
                    keep[r] &= !Double.isNaN(c[r]);
                }
                kept += keep[r] ? 1 : 0;
            }
            double[][] out = new double[cols.length][kept];
            LocalDateTime[] t = times == null ? null : new LocalDateTime[kept];
            for (int r = 0, j = 0; r < n; r++) {
                if (keep[r]) {
                    for (int c = 0; c < cols.length; c++) {
                        out[c][j] = cols[c][r];
                    }
                    if (t != null) {
                        t[j] = times[r];
                    }
                    j++;
                }
            }
            cols = out;
            times = t;
        } else {
            for (int c = 0; c < cols.length; c++) {
                fillColumn(cols[c], policy, source, c == 0 ? valueName : covNames.get(c - 1));
            }
        }
        if (cols[0].length == 0) {
            throw new TimeSeriesException(source + ": no rows left after dropping missing values");
        }
        return new TimeSeries(source, valueName, cols[0], times, covNames,
                Arrays.copyOfRange(cols, 1, cols.length));
    }

    private static void fillColumn(double[] x, FillPolicy policy, String source, String name) {
        int n = x.length;
        int firstKnown = -1;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(x[i])) {
                firstKnown = i;
                break;
            }
        }
        boolean anyMissing = false;
        for (double v : x) {
            anyMissing |= Double.isNaN(v);
        }
        if (!anyMissing) {
            return;
        }
        if (policy == FillPolicy.ZERO) {
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(x[i])) {
                    x[i] = 0;
                }
            }
            return;
        }
        if (firstKnown < 0) {
            throw new TimeSeriesException(source + ": column '" + name + "' has no values at all to fill from");
        }
        for (int i = 0; i < firstKnown; i++) {
            x[i] = x[firstKnown]; // leading gap: nearest known value, whatever the policy
        }
        int last = firstKnown;
        for (int i = firstKnown + 1; i < n; i++) {
            if (Double.isNaN(x[i])) {
                continue;
            }
            if (i > last + 1) {
                for (int j = last + 1; j < i; j++) {
                    x[j] = policy == FillPolicy.LINEAR
                            ? x[last] + (x[i] - x[last]) * (j - last) / (double) (i - last)
                            : x[last];
                }
            }
            last = i;
        }
        for (int j = last + 1; j < n; j++) {
            x[j] = x[last]; // trailing gap: nearest known value
        }
    }
}
