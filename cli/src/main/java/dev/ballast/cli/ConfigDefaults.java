package dev.ballast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ballast.lm.TrainingConfig;
import dev.ballast.lm.ModelFiles;
import picocli.CommandLine;

/**
 * Takes the defaults shown in {@code --help} and applied to unset flags from {@link TrainingConfig}
 * itself ({@code --clip-norm} ↔ {@code clip_norm}, as {@link FlagNames} maps them), so they are written
 * down in one place only.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    private static final JsonNode DEFAULTS = ModelFiles.JSON.valueToTree(TrainingConfig.builder().build());

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
            return null;
        }
        JsonNode value = DEFAULTS.get(FlagNames.field(option));
        return value == null || value.isNull() ? null : value.asText();
    }
}
