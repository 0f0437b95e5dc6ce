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

    private RequestException(String field, String problem) {
        super(field, problem, null);
        this.status = 400;
    }

    /** A 400 about {@code field} of the request body: the field (as the server spells it) then {@code problem}. */
    public static RequestException field(String field, String problem) {
        return new RequestException(field, problem);
    }

    int status() {
        return status;
    }
}
