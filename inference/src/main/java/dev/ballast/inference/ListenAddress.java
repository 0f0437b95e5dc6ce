package dev.ballast.inference;

import dev.ballast.engine.InputException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Where {@code ballast serve} listens: {@code --host} checked and resolved, and whether that is only this machine. */
public final class ListenAddress {

    private ListenAddress() {
    }

    /** The address {@code --host} names: an IP literal or a name that resolves; anything else is an {@link InputException}. */
    public static InetAddress resolve(String host) {
        if (host == null || host.isBlank()) {
            throw InputException.field("host", "must name an address, e.g. 127.0.0.1 (loopback) or 0.0.0.0 (every interface)");
        }
        String h = host.strip();
        try {
            return InetAddress.getByName(h);
        } catch (UnknownHostException | SecurityException e) {
            throw InputException.field("host", (h.length() > 80 ? h.substring(0, 80) + "..." : h)
                    + " is neither an IP address nor a host name that resolves");
        }
    }

    /** Only this machine can connect: a loopback address (127.0.0.0/8, ::1). */
    public static boolean isLoopback(InetAddress address) {
        return address.isLoopbackAddress();
    }

    /**
     * The one-line warning for listening beyond loopback, or empty on loopback. It says who can reach the
     * server and, when {@code keyRequired} is false, how to require a key.
     */
    public static Optional<String> exposureWarning(InetAddress address, boolean keyRequired) {
        if (isLoopback(address)) {
            return Optional.empty();
        }
        String where = address.isAnyLocalAddress()
                ? "listening on " + address.getHostAddress() + ", every network interface: everything on those networks"
                : "listening on " + address.getHostAddress() + ", not loopback: everything on that network";
        return Optional.of("warning: " + where + " can reach this server"
                + (keyRequired ? " (a key is required for everything but GET /health)"
                        : " and use the model; add --api-key-file FILE (or --api-key, BALLAST_API_KEY) to require a key"));
    }
}
