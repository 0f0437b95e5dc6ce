package dev.ballast.inference;

import dev.ballast.engine.InputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key {@link InferenceServer} asks for in {@code Authorization: Bearer KEY}. It keeps only the key's
 * SHA-256 and compares digests with {@link MessageDigest#isEqual}, so the time a check takes says nothing
 * about how much of a guess was right, nor how long the key is.
 */
public final class ApiKey {

    /** What a request's {@code Authorization} header amounts to. */
    public enum Check { ACCEPTED, MISSING, WRONG }

    private final byte[] digest;

    private ApiKey(byte[] digest) {
        this.digest = digest;
    }

    /**
     * The key, which must be printable ASCII without spaces (a bearer token is sent as it is in a header);
     * {@code origin} names where it came from for the error message, e.g. {@code --api-key-file keys/serve}.
     */
    public static ApiKey of(String key, String origin) {
        if (key == null || key.isEmpty()) {
            throw new InputException(origin + ": the API key is empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InputException(origin + ": the API key must be printable ASCII without spaces "
                        + "(it is sent as 'Authorization: Bearer KEY')");
            }
        }
        return new ApiKey(sha256(key));
    }

    /** Checks an {@code Authorization} header value (null when the request had none). */
    public Check check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Check.MISSING;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return Check.MISSING;
        }
        String token = value.substring(space + 1).strip();
        return MessageDigest.isEqual(digest, sha256(token)) ? Check.ACCEPTED : Check.WRONG;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[hidden]";
    }
}
