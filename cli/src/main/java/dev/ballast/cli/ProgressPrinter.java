package dev.ballast.cli;

import dev.ballast.training.Validation;
import dev.ballast.training.Trainer;
import dev.ballast.training.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shows training progress: on a terminal a live line (step, tokens/s, loss, gradient norm, ETA)
 * rewritten in place; otherwise (logs, CI, pipes) a plain line every few percent of the run.
 */
final class ProgressPrinter implements TrainingListener {

    private final PrintWriter err;
    private final boolean live;
    private long startStep;
    private long total;
    private long startNanos;
    private long lastDraw;
    private boolean lineOpen;
    private double smoothLoss = Double.NaN;

    ProgressPrinter(PrintWriter err, boolean live) {
        this.err = err;
        this.live = live;
    }

    @Override
    public void onStart(RunSummary s) {
        startStep = s.startStep();
        total = s.totalSteps();
        startNanos = System.nanoTime();
        err.printf(Locale.ROOT, "%s %s: %,d parameters, vocabulary %d, %,d training / %,d validation tokens%s, kernels %s%n",
                s.resumed() ? "resuming at step " + s.startStep() + " of" : "training", s.runDir(), s.parameters(),
                s.vocabulary(), s.trainTokens(), s.validTokens(),
                s.validUnknown() > 0 ? " (" + s.validUnknown() + " unknown in validation)" : "", s.kernels());
        err.flush();
    }

    @Override
    public void onStep(StepReport r) {
        // An exponential moving average reads better than the noisy per-window loss.
        smoothLoss = Double.isNaN(smoothLoss) ? r.loss() : 0.95 * smoothLoss + 0.05 * r.loss();
        long now = System.nanoTime();
        boolean last = r.step() == r.totalSteps();
        if (live) {
            if (now - lastDraw > 200_000_000L || last) {
                lastDraw = now;
                err.print("\r" + line(r, now) + "   ");
                err.flush();
                lineOpen = true;
            }
        } else {
            long every = Math.max(10, total / 20);
            if (r.step() == startStep + 1 || r.step() % every == 0 || last) {
                err.println(line(r, now));
                err.flush();
            }
        }
    }

    private String line(StepReport r, long now) {
        double seconds = (now - startNanos) * 1e-9;
        long done = r.step() - startStep;
        double eta = done == 0 ? 0 : seconds / done * (r.totalSteps() - r.step());
        return String.format(Locale.ROOT, "step %d/%d  epoch %d  loss %.4f  grad %.3f%s  lr %.2e  %,.0f tok/s  ETA %s",
                r.step(), r.totalSteps(), r.epoch() + 1, smoothLoss, r.gradNorm(), r.clipped() ? " (clipped)" : "",
                r.lr(), r.tokensPerSecond(), duration(eta));
    }

    @Override
    public void onEvaluation(long step, Validation v, boolean best) {
        endLine();
        err.printf(Locale.ROOT, "step %d validation: %s%s%n", step, v.summary(), best ? " (best so far)" : "");
        err.flush();
    }

    @Override
    public void onSample(long step, String text) {
        endLine();
        err.println("sample at step " + step + ":");
        for (String l : text.split("\n", -1)) {
            err.println("  | " + l);
        }
        err.flush();
    }

    @Override
    public void onIncident(long step, String message) {
        endLine();
        err.println("stability: step " + step + ": " + message);
        err.flush();
    }

    @Override
    public void onCheckpoint(long step, Path directory) {
        endLine();
        err.println("checkpoint " + directory);
        err.flush();
    }

    void finish() {
        endLine();
    }

    void summary(Trainer.Result r) {
        Validation v = r.validation();
        err.printf(Locale.ROOT, "done: %d steps in %s, %,.0f tokens/s%s; model in %s%n", r.steps(), duration(r.seconds()),
                r.tokensPerSecond(), v == null ? "" : ", validation " + v.summary(),
                r.runDir());
        err.flush();
    }

    private void endLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
