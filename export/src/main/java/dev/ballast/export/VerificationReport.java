package dev.ballast.export;

import java.util.List;

/**
 * How closely an exported file agrees with Ballast's engine: the largest absolute difference of the
 * compared outputs over every case, and each batch size's own.
 *
 * @param cases one per batch size, in the order run
 */
public record VerificationReport(double maxAbsDiff, double tolerance, List<Case> cases) {

    /** The agreement an export must reach: float32 engines with different summation orders. */
    public static final double TOLERANCE = 1e-4;

    /** One batch size's windows, run in the order of {@code lengths}, and their largest difference. */
    public record Case(int batch, int[] lengths, double maxAbsDiff) {
    }

    public boolean passed() {
        return maxAbsDiff <= tolerance; // NaN fails
    }
}
