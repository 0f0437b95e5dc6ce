package dev.ballast.training.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code weights} block of a model file: which file in the model's directory holds its parameters,
 * and that file's SHA-256, checked when the model loads.
 *
 * @param file   a plain file name in the model's directory (no directory part)
 * @param sha256 lowercase hex SHA-256 of the whole file, or null when not recorded (files written before
 *               Ballast recorded it), in which case it is not checked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WeightsRef(String file, String sha256) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public WeightsRef {
        if (file == null || file.isBlank() || file.contains("/") || file.contains("\\") || file.equals(".")
                || file.equals("..")) {
            throw new IllegalArgumentException("weights.file must be a file name in the model's directory, got '"
                    + file + "'");
        }
        if (sha256 != null) {
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!HEX64.matcher(sha256).matches()) {
                throw new IllegalArgumentException("weights.sha256 must be 64 hex digits, got '" + sha256 + "'");
            }
        }
    }

    /** A file whose hash is not known (a model file written before the hash was recorded). */
    public static WeightsRef unchecked(String file) {
        return new WeightsRef(file, null);
    }
}
