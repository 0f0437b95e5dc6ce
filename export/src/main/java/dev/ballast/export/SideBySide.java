package dev.ballast.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs Ballast's engine and ONNX Runtime side by side: for batch sizes 1, 2 and 5, windows of the given
 * lengths in order, keeping the largest absolute difference of their outputs. What a window is (random tokens
 * with the state carried on, random rows from a zero state) is up to the caller; a NaN anywhere makes
 * the report fail.
 */
final class SideBySide {

    static final int[] BATCHES = {1, 2, 5};

    /** Both back-ends at one batch size, ready to run windows one after another. */
    interface Windows {
        /** Runs the next window of {@code steps} on both and returns the largest |difference|. */
        double run(int steps);
    }

    private SideBySide() {
    }

    /** {@code start} sets both back-ends up for a batch size. */
    static VerificationReport compare(int[] lengths, IntFunction<Windows> start) {
        double worst = 0;
        List<VerificationReport.Case> cases = new ArrayList<>();
        for (int batch : BATCHES) {
            Windows windows = start.apply(batch);
            double caseWorst = 0;
            for (int steps : lengths) {
                caseWorst = Math.max(caseWorst, windows.run(steps)); // NaN sticks
            }
            cases.add(new VerificationReport.Case(batch, lengths.clone(), caseWorst));
            worst = Math.max(worst, caseWorst);
        }
        return new VerificationReport(worst, VerificationReport.TOLERANCE, List.copyOf(cases));
    }

    /** The largest |ours[i] - theirs[i]| over the first {@code n} values; NaN when theirs is short or either holds NaN. */
    static double maxAbsDiff(float[] ours, float[] theirs, int n) {
        if (ours.length < n || theirs.length < n) {
            return Double.NaN;
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs((double) ours[i] - theirs[i]));
        }
        return worst;
    }
}
