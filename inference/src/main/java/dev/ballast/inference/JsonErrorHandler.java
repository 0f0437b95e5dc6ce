package dev.ballast.inference;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages as the server's JSON errors: {@code {"error": "one line", "status": n}}. Jetty calls this
 * for what never reaches {@link InferenceServer}'s routes — a request line, header or Content-Length it cannot
 * parse (400), headers over 8 KiB (431), a URI too long (414), a shutdown (503) — and for a request whose
 * handling failed. The text names the problem in words; Jetty's reason is kept only when it is a short plain
 * phrase, so no Java class or exception name reaches a client.
 */
final class JsonErrorHandler implements Request.Handler {

    /** A plain phrase: letters, digits, spaces and light punctuation, no dotted names, no exception names. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9 ,:;'=()/_+-]{1,100}");
    private static final Pattern JAVA_NAME = Pattern.compile("(?i)exception|error|java|jetty|null");

    private final ServerLimits limits;

    JsonErrorHandler(ServerLimits limits) {
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object attribute = request.getAttribute(ErrorHandler.ERROR_STATUS);
        if (attribute instanceof Integer s) {
            status = s;
        }
        String reason = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            reason = http.getReason();
        }
        if (cause instanceof TimeoutException) {
            status = 408;
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        String message = describe(status, reason);
        if (status >= 500 && status != 503) {
            status = status == 505 ? 400 : 500; // 505 is a client's doing: an HTTP version we do not speak
        }
        byte[] bytes = (body(status, message) + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    private String describe(int status, String reason) {
        return switch (status) {
            case 400 -> "malformed HTTP request" + (plain(reason) && !reason.equalsIgnoreCase("Bad Request") ? ": " + reason : "");
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 408 -> "request timed out: nothing was received for " + limits.idleTimeoutSeconds() + " s";
            case 413 -> "request body is larger than " + limits.maxBodyBytes() + " bytes";
            case 414 -> "request URI is too long";
            case 431 -> "request headers are too large";
            case 501 -> "malformed HTTP request: unsupported transfer encoding or method";
            case 503 -> "the server is shutting down";
            case 505 -> "malformed HTTP request: unsupported HTTP version";
            default -> status < 500 ? "bad request (" + HttpStatus.getMessage(status).toLowerCase(java.util.Locale.ROOT) + ")" : "internal error";
        };
    }

    private static boolean plain(String reason) {
        return reason != null && PLAIN.matcher(reason).matches() && !JAVA_NAME.matcher(reason).find();
    }

    /** The JSON error object every error response carries. */
    static ObjectNode body(int status, String message) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", message == null ? "error" : message);
        n.put("status", status);
        return n;
    }
}
