package dev.ballast.inference;

/** A bad HTTP request: the status to answer with and a one-line message for the JSON error body. */
final class RequestException extends RuntimeException {

    private final int status;

    RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
