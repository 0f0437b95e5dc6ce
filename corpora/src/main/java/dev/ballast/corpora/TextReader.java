package dev.ballast.corpora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a corpus — one UTF-8 file or a directory of them — into a string, failing with a
 * {@link CorpusException} that names the file and byte offset when the bytes are not text.
 *
 * <p>A directory is read as its regular files, recursively, in order of their path relative to the
 * directory; hidden files and directories (name starting with '.') are skipped. Each file's text is
 * followed by a newline unless it already ends with one, so files never run into each other. A
 * leading UTF-8 byte order mark is dropped.
 *
 * <pre>{@code
 * String text = TextReader.read(Path.of("corpora/tinyshakespeare"), false);
 * String hash = TextReader.sha256Hex(Path.of("corpora/tinyshakespeare"));  // for provenance
 * }</pre>
 */
public final class TextReader {

    private static final char BYTE_ORDER_MARK = '\uFEFF';
    // A Java array (and String) holds at most about 2^31 elements.
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private TextReader() {
    }

    /**
     * Reads the corpus text.
     *
     * @param replaceMalformed substitute U+FFFD for invalid UTF-8 instead of failing
     * @throws CorpusException if the path is missing or unreadable, a directory holds no files, a
     *     file contains a NUL byte or invalid UTF-8 (unless replaced), or the text is blank
     */
    public static String read(Path fileOrDir, boolean replaceMalformed) {
        boolean directory = Files.isDirectory(fileOrDir);
        StringBuilder text = new StringBuilder();
        for (Path file : files(fileOrDir)) {
            String part = decode(file, readBytes(file), replaceMalformed);
            text.append(part);
            if (directory && !part.isEmpty() && part.charAt(part.length() - 1) != '\n') {
                text.append('\n');
            }
        }
        String result = text.toString();
        if (result.isBlank()) {
            throw new CorpusException("corpus " + fileOrDir + " is empty");
        }
        return result;
    }

    /**
     * Hex SHA-256 of the raw bytes of the corpus files, concatenated in the order {@link #read}
     * reads them; recorded in provenance so a run can be tied to its data.
     */
    public static String sha256Hex(Path fileOrDir) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        for (Path file : files(fileOrDir)) {
            digest.update(readBytes(file));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The corpus files in reading order; a single file is its own list. */
    static List<Path> files(Path fileOrDir) {
        if (!Files.exists(fileOrDir)) {
            throw new CorpusException("corpus not found: " + fileOrDir);
        }
        if (!Files.isDirectory(fileOrDir)) {
            return List.of(fileOrDir);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(fileOrDir)) {
            walk.filter(p -> !isHidden(fileOrDir.relativize(p)))
                    .filter(Files::isRegularFile)
                    .forEach(files::add);
        } catch (IOException | UncheckedIOException e) {
            throw new CorpusException("cannot list corpus directory " + fileOrDir + ": " + describe(e));
        }
        if (files.isEmpty()) {
            throw new CorpusException("corpus directory " + fileOrDir + " contains no files");
        }
        // Sort on '/'-joined relative names so the order is the same on every platform.
        files.sort(Comparator.comparing(p -> relativeName(fileOrDir, p)));
        return files;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String relativeName(Path root, Path file) {
        List<String> parts = new ArrayList<>();
        root.relativize(file).forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    private static byte[] readBytes(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CorpusException("corpus file " + file + " is larger than " + MAX_FILE_BYTES
                        + " bytes; split it into a directory of smaller files");
            }
            return Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new CorpusException("corpus file " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new CorpusException("cannot read corpus file " + file + ": " + describe(e), e);
        }
    }

    /** Decodes strict UTF-8, reporting the exact byte offset of the first NUL or invalid sequence. */
    static String decode(Path file, byte[] bytes, boolean replaceMalformed) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new CorpusException(file + " looks like a binary file (NUL byte at byte offset " + i + ")");
            }
        }
        CharsetDecoder decoder = decoder(replaceMalformed);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never yields more UTF-16 chars than bytes, so one pass fills the buffer.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // On REPORT the decoder stops with the input positioned at the start of the bad sequence.
            throw CorpusException.naming(file + ": invalid UTF-8 at byte offset " + in.position()
                    + " (use {replace_malformed} to substitute U+FFFD)");
        }
        if (result.isOverflow()) {
            throw new IllegalStateException("UTF-8 decoding overflowed a buffer of one char per byte");
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == BYTE_ORDER_MARK) {
            out.position(1);
        }
        return out.toString();
    }

    /** The UTF-8 decoder {@link #read} uses; {@link TextDigest} decodes with the same one. */
    static CharsetDecoder decoder(boolean replaceMalformed) {
        CodingErrorAction onError = replaceMalformed ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(onError)
                .onUnmappableCharacter(onError)
                .replaceWith("\uFFFD");
    }

    static boolean isByteOrderMark(char c) {
        return c == BYTE_ORDER_MARK;
    }

    private static String describe(Throwable e) {
        return dev.ballast.engine.io.FileErrors.describe(e);
    }
}
