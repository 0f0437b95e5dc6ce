package dev.ballast.cli;

import dev.ballast.trainer.io.CheckpointStore;
import dev.ballast.trainer.math.KernelProvider;
import dev.ballast.trainer.model.ModelFiles;
import dev.ballast.trainer.model.TrainedModel;
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
            throw new dev.ballast.trainer.ConfigException("--threads must be at least 0, got " + threads);
        }
        Path dir = CheckpointStore.resolveModel(model);
        return ModelFiles.load(dir, KernelProvider.best(threads));
    }
}
