package dev.ballast.inference;

import dev.ballast.engine.InputException;

/** A bad HTTP request: the status to answer with (400, 401, 404, ...) and a one-line message for the JSON error body. */
final class RequestException extends InputException {

    private static final long serialVersionUID = 1L;

    private final int status;

    RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
