package dev.ballast.training;

import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * One run of a stress set-up (a configuration known to blow up), judged the same way for every kind of
 * model: it diverged when it failed ({@link TrainingDivergedException}), or ended with a non-finite loss or
 * a loss no better than its first step's. {@code ballast stress} runs each set-up unprotected, with the
 * defaults, and tuned, and prints the three.
 */
public final class StressRun {

    /** What one run did. {@code finalLoss} is NaN when the run failed. */
    public record Outcome(boolean diverged, double finalLoss, int incidents, double clippedFraction, int rollbacks) {
    }

    /**
     * One set-up's three runs.
     *
     * @param reference the same model and data trained the well-tuned way, what a protected run should come
     *                  close to
     */
    public record Result(String name, String description, Outcome unprotected, Outcome protectedRun,
                         Outcome reference) {
    }

    /** A listener that remembers the first step's training loss, the yardstick of "no better than at the start". */
    public static final class FirstLoss implements TrainingListener {
        private double value = Double.NaN;

        @Override
        public void onStep(StepReport r) {
            if (Double.isNaN(value)) {
                value = r.loss();
            }
        }

        public double value() {
            return value;
        }
    }

    private StressRun() {
    }

    /**
     * Runs {@code run} (which trains and returns the final loss, in the units of the first step's training
     * loss) and judges it; {@code trainer} gives the trainer that ran, for its stability counts.
     */
    public static Outcome judge(Supplier<Trainer<?>> trainer, FirstLoss first, DoubleSupplier run) {
        try {
            double loss = run.getAsDouble();
            boolean diverged = !Double.isFinite(loss) || !(loss < first.value());
            return outcome(trainer.get(), diverged, loss);
        } catch (TrainingDivergedException e) {
            return outcome(trainer.get(), true, Double.NaN);
        }
    }

    private static Outcome outcome(Trainer<?> trainer, boolean diverged, double loss) {
        return new Outcome(diverged, loss, trainer.monitor().incidents().size(), trainer.monitor().clippedFraction(),
                trainer.stabilitySummary().get("rollbacks").asInt());
    }
}
