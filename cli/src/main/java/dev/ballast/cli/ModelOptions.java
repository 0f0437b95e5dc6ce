package dev.ballast.cli;

import dev.ballast.engine.InputException;

import dev.ballast.training.checkpoint.CheckpointStore;
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

    TrainedModel load() {
        if (threads < 0) {
            throw new InputException("--threads must be at least 0, got " + threads);
        }
        Path dir = CheckpointStore.resolveModel(model);
        return ModelFiles.load(dir, KernelProvider.best(threads));
    }
}
