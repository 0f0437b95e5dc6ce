package dev.ballast.engine;

/**
 * A configuration value a user gave is out of range or inconsistent. The message names the flag
 * (or JSON field) and the allowed values, and is meant to be shown to the user as is.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
