package dev.ballast.corpora;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of corpus text in UTF-8, computed by streaming the files in chunks instead of holding the
 * text. After {@link #addCorpus addCorpus(path, replaceMalformed)} the digest is that of
 * {@code TextReader.read(path, replaceMalformed)}'s UTF-8 bytes: the same files in the same order, each
 * without its byte order mark, a line break after a directory's file that lacks one, malformed bytes
 * replaced by U+FFFD when asked. A run records this hash in its provenance and checks it on resume.
 *
 * <pre>{@code
 * String hex = new TextDigest().addCorpus(Path.of("corpora/tinyshakespeare"), false).hex();
 * // equals SHA-256 of TextReader.read(Path.of("corpora/tinyshakespeare"), false).getBytes(UTF_8)
 * }</pre>
 *
 * <p>Hash only text that {@link TextReader#read} accepts: invalid UTF-8 without replacement fails here
 * too, but a NUL byte or a blank corpus is not checked again.
 */
public final class TextDigest {

    // Bytes read per chunk. A UTF-8 sequence is at most 4 bytes, so any chunk of 4 or more makes progress.
    private static final int CHUNK = 1 << 16;

    private final MessageDigest digest;
    private final int chunk;
    private long bytes;         // hashed so far
    private byte lastByte;      // the last byte hashed, to tell whether the text ends with a line break

    public TextDigest() {
        this(CHUNK);
    }

    /** With a small {@code chunk} (at least 4) tests can put every chunk boundary inside a character. */
    TextDigest(int chunk) {
        if (chunk < 4) {
            throw new IllegalArgumentException("chunk must be at least 4 bytes, got " + chunk);
        }
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        this.chunk = chunk;
    }

    /**
     * Adds the text {@link TextReader#read TextReader.read(fileOrDir, replaceMalformed)} returns.
     *
     * @throws CorpusException naming the file when it cannot be read or is not UTF-8
     */
    public TextDigest addCorpus(Path fileOrDir, boolean replaceMalformed) {
        boolean directory = Files.isDirectory(fileOrDir);
        for (Path file : TextReader.files(fileOrDir)) {
            long before = bytes;
            addFile(file, replaceMalformed);
            // As TextReader.read frames a directory: files never run into each other.
            if (directory && bytes > before && lastByte != '\n') {
                addText("\n");
            }
        }
        return this;
    }

    /** Adds {@code text} (short text: the built-in corpus, separators). */
    public TextDigest addText(String text) {
        update(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Adds a line break unless the text so far is empty or already ends with one. */
    public TextDigest endLine() {
        if (bytes > 0 && lastByte != '\n') {
            addText("\n");
        }
        return this;
    }

    /** The lowercase hex digest of everything added. The digest is then reset. */
    public String hex() {
        bytes = 0;
        return HexFormat.of().formatHex(digest.digest());
    }

    // Decodes with TextReader's decoder and re-encodes, so that the hashed bytes are the text's: for
    // well-formed input they are the file's bytes minus the byte order mark; replaced bytes become U+FFFD.
    private void addFile(Path file, boolean replaceMalformed) {
        CharsetDecoder decoder = TextReader.decoder(replaceMalformed);
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
        ByteBuffer in = ByteBuffer.allocate(chunk);
        CharBuffer chars = CharBuffer.allocate(chunk);      // UTF-8 never yields more chars than bytes
        ByteBuffer out = ByteBuffer.allocate(3 * chunk);    // and a BMP char never needs more than 3 bytes
        boolean fileStart = true;
        try (InputStream stream = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int n = stream.read(in.array(), in.position(), in.remaining());
                end = n < 0;
                if (n > 0) {
                    in.position(in.position() + n);
                }
                in.flip();
                CoderResult result;
                do {
                    result = decoder.decode(in, chars, end);
                    if (result.isError()) {
                        throw CorpusException.naming(file + ": invalid UTF-8 (use {replace_malformed} to substitute U+FFFD)");
                    }
                    fileStart = encode(chars, encoder, out, fileStart);
                } while (result.isOverflow());
                in.compact();
            }
            decoder.flush(chars);
            encode(chars, encoder, out, fileStart);
        } catch (AccessDeniedException e) {
            throw new CorpusException("corpus file " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new CorpusException("cannot read corpus file " + file + ": " + dev.ballast.engine.io.FileErrors.describe(e), e);
        }
    }

    /** Hashes the UTF-8 of the decoded {@code chars}, dropping a byte order mark at the file's start. */
    private boolean encode(CharBuffer chars, CharsetEncoder encoder, ByteBuffer out, boolean fileStart) {
        chars.flip();
        if (fileStart && chars.hasRemaining()) {
            if (TextReader.isByteOrderMark(chars.get(chars.position()))) {
                chars.get();
            }
            fileStart = false;
        }
        CoderResult result;
        do {
            // The decoder writes surrogate pairs whole, so every chunk of chars is complete text.
            result = encoder.encode(chars, out, false);
            if (result.isError()) {
                throw new IllegalStateException("the UTF-8 decoder produced text its encoder rejects: " + result);
            }
            out.flip();
            update(out);
            out.clear();
        } while (result.isOverflow());
        chars.compact();
        return fileStart;
    }

    private void update(ByteBuffer b) {
        int n = b.remaining();
        if (n > 0) {
            lastByte = b.get(b.limit() - 1);
            digest.update(b);
            bytes += n;
        }
    }
}
