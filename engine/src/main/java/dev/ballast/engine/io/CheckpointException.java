package dev.ballast.engine.io;

import dev.ballast.engine.InputException;

/**
 * A weight file, checkpoint or pointer file that cannot be read or written. The message is one line
 * that names the file and says what is wrong with it, so the CLI can show it to the user as is.
 */
public class CheckpointException extends InputException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
