package dev.ballast.cli;

import dev.ballast.engine.InputException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.lm.ModelFiles;
import dev.ballast.forecast.ForecastStress;
import dev.ballast.lm.stress.StressSuite;
import dev.ballast.training.StressRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ballast stress}: runs {@link StressSuite}'s unstable set-ups with protection off and on and prints the table. */
@Command(name = "stress", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train unstable set-ups with and without protection and compare.",
                "A fixed matrix of set-ups (high learning rates, long windows, large recurrent",
                "weights, no clipping, the Pascanu et al. 2013 addition and temporal-order",
                "tasks) is trained with protection off and with Ballast's defaults; the table",
                "says which diverged. Takes under a minute."})
final class StressCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object {\"cases\": [...]} on stdout.")
    boolean json;
    @Option(names = "--seed", paramLabel = "N", description = "Seed for every run (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;
    @Option(names = "--only", paramLabel = "NAME", description = "Run only the named case(s).", split = ",")
    List<String> only;
    @Option(names = "--init", paramLabel = "MODE", defaultValue = "pinned",
            description = "pinned (orthogonal, forget bias 1; default) or defaults (the training defaults).")
    String init;
    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the run directories under DIR, each with its stability report.")
    Path keep;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<StressSuite.Case> cases = new ArrayList<>(StressSuite.cases());
        List<ForecastStress.Case> forecastCases = new ArrayList<>(ForecastStress.cases());
        if (only != null) {
            List<String> names = new ArrayList<>(cases.stream().map(StressSuite.Case::name).toList());
            names.addAll(forecastCases.stream().map(ForecastStress.Case::name).toList());
            for (String name : only) {
                if (!names.contains(name)) {
                    throw new InputException("--only: no stress case '" + name + "' (cases: "
                            + String.join(", ", names) + ")");
                }
            }
            cases.removeIf(c -> !only.contains(c.name()));
            forecastCases.removeIf(c -> !only.contains(c.name()));
        }
        if (!StressSuite.INITS.contains(init)) {
            throw new InputException("--init must be one of " + String.join(", ", StressSuite.INITS)
                    + ", got '" + init + "'");
        }
        Path work = keep != null ? keep : Files.createTempDirectory("ballast-stress");
        List<StressRun.Result> results = new ArrayList<>();
        try {
            for (StressSuite.Case c : cases) {
                err.println("stress: " + c.name() + " (" + c.description() + ")");
                err.flush();
                results.add(StressSuite.run(c, work, seed, init));
            }
            for (ForecastStress.Case c : forecastCases) {
                err.println("stress: " + c.name() + " (" + c.description() + ")");
                err.flush();
                results.add(ForecastStress.run(c, work, seed));
            }
        } finally {
            if (keep == null) {
                delete(work);
            }
        }
        if (json) {
            spec.commandLine().getOut().println(ModelFiles.toJson(toJson(results)).strip());
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-32s | %-8s %10s | %-8s %10s %9s %8s | %10s%n", "case", "off:div", "final loss",
                    "on:div", "final loss", "incidents", "clipped", "tuned loss");
            for (StressRun.Result r : results) {
                out.printf(Locale.ROOT, "%-32s | %-8s %10s | %-8s %10s %9d %7.0f%% | %10s%n", r.name(),
                        r.unprotected().diverged() ? "yes" : "no", loss(r.unprotected().finalLoss()),
                        r.protectedRun().diverged() ? "yes" : "no", loss(r.protectedRun().finalLoss()),
                        r.protectedRun().incidents(), 100 * r.protectedRun().clippedFraction(),
                        loss(r.reference().finalLoss()));
            }
            out.flush();
        }
        return 0;
    }

    private static String loss(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    static ObjectNode toJson(List<StressRun.Result> results) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode cases = root.putArray("cases");
        for (StressRun.Result r : results) {
            ObjectNode c = cases.addObject();
            c.put("name", r.name());
            c.put("description", r.description());
            ObjectNode off = c.putObject("unprotected");
            off.put("diverged", r.unprotected().diverged());
            putLoss(off, r.unprotected().finalLoss());
            ObjectNode on = c.putObject("protected");
            on.put("diverged", r.protectedRun().diverged());
            putLoss(on, r.protectedRun().finalLoss());
            on.put("incidents", r.protectedRun().incidents());
            on.put("clipped_fraction", r.protectedRun().clippedFraction());
            on.put("rollbacks", r.protectedRun().rollbacks());
            if (r.reference() != null) {
                putLoss(c.putObject("reference"), r.reference().finalLoss());
            }
        }
        return root;
    }

    private static void putLoss(ObjectNode n, double v) {
        if (Double.isFinite(v)) {
            n.put("final_loss", v);
        } else {
            n.putNull("final_loss");
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
