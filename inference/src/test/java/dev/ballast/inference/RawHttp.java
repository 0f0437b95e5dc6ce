package dev.ballast.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ballast.engine.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Bytes on a socket, for requests an HTTP client library would refuse to send; the reply parsed loosely. */
record RawHttp(int status, Map<String, String> headers, String body) {

    /** A fully qualified Java name or an exception's class name: none may reach a client. */
    static final Pattern JAVA_NAMES = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z]\\w*|[A-Z]\\w*(Exception|Error)\\b|\\bjava\\.");

    private static final ObjectMapper JSON = Json.MAPPER;

    /** Sends the bytes, then reads the reply until the server closes the connection (20 s at most). */
    static RawHttp send(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return parse(readUntilClosed(s.getInputStream()));
        }
    }

    /** Sends one request on a connection left open, and reads one chunked reply (up to its last, empty chunk). */
    static RawHttp sendOne(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (!all.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                all.write(b);
            }
            return parse(all.toByteArray());
        }
    }

    static RawHttp send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the reply (the server closed with our unread bytes pending) still leaves the reply
        }
        return all.toByteArray();
    }

    static RawHttp parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new RawHttp(-1, Map.of(), text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new RawHttp(Integer.parseInt(lines[0].substring(9, 12)), headers, body);
    }

    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int nl = s.indexOf("\r\n", at);
            int size = Integer.parseInt(s.substring(at, nl).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(s, nl + 2, nl + 2 + size);
            at = nl + 2 + size + 2;
        }
    }

    JsonNode json() throws IOException {
        return JSON.readTree(body);
    }
}
