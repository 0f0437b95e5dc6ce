package dev.ballast.cli;

import dev.ballast.engine.InputException;

import dev.ballast.training.checkpoint.CheckpointStore;
import dev.ballast.training.checkpoint.RunLink;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that reads a trained model shares. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A run directory (its best checkpoint is used) or a checkpoint directory.")
    Path model;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Compute threads, 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    /** The --model path, through a run link (runs/latest as a pointer file) when it is one. */
    Path path() {
        return RunLink.follow(model);
    }

    TrainedModel load() {
        dev.ballast.engine.ResourceLimits.checkThreads("--threads", threads);
        Path dir = CheckpointStore.resolveModel(path());
        return ModelFiles.load(dir, KernelProvider.best(threads));
    }
}
