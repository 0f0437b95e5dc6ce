package dev.ballast.corpora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextDigestTest {

    // Chunk sizes that put boundaries inside multi-byte characters, malformed runs and the byte order mark.
    private static final int[] CHUNKS = {4, 5, 7, 64, 1 << 16};
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    /** What `train` hashed before the hash was streamed: the read text, encoded whole. */
    private static String oldHash(String text) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Path file(String name, Object... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) part);
        }
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, out.toByteArray());
        return p;
    }

    private static void assertStreamedHashIsTheOldOne(Path corpus, boolean replaceMalformed) throws Exception {
        String expected = oldHash(TextReader.read(corpus, replaceMalformed));
        for (int chunk : CHUNKS) {
            assertEquals(expected, new TextDigest(chunk).addCorpus(corpus, replaceMalformed).hex(), "chunk " + chunk);
        }
    }

    @Test
    void fileHashIsTheHashOfTheTextReadReturns() throws Exception {
        // A byte order mark (dropped by read), 2-, 3- and 4-byte characters, no final line break.
        Path f = file("a.txt", BOM, "Caf\u00e9 \u20ac \uD83D\uDE00 na\u00efve\r\nend");
        assertStreamedHashIsTheOldOne(f, false);
        // An independent check of a file without special bytes: FIPS 180-2 test vector SHA-256("abc").
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                new TextDigest().addCorpus(file("abc.txt", "abc"), false).hex());
    }

    @Test
    void directoryHashIsTheHashOfTheTextReadReturns() throws Exception {
        Path corpus = dir.resolve("corpus");
        file("corpus/b.txt", "c\n");
        file("corpus/a.txt", "ab");                    // read adds a line break after it
        file("corpus/.hidden", "never read");
        file("corpus/sub/c.txt", BOM, "\u00e9t\u00e9");  // nested, with a byte order mark, no line break
        file("corpus/sub/d.txt", "");                   // empty: no line break added
        file("corpus/sub/e.txt", BOM);                  // only a byte order mark: empty text too
        assertStreamedHashIsTheOldOne(corpus, false);
    }

    @Test
    void twoFileDirectoryHashesTheFramedText() throws Exception {
        file("two/1.txt", "ab");
        file("two/2.txt", "c\n");
        // printf 'ab\nc\n' | sha256sum
        assertEquals("1b10891da7a8bc413923775af7702b007cbf489c6f600255dca8fc1d7889d612",
                new TextDigest().addCorpus(dir.resolve("two"), false).hex());
    }

    @Test
    void replacedMalformedBytesHashAsTheReplacementCharacter() throws Exception {
        // A lone continuation byte, a truncated 3-byte sequence before a line break, and a truncated
        // sequence at the very end: read turns each into U+FFFD, and so must the hash.
        Path f = file("bad.txt", "ok", new byte[] {(byte) 0x80}, "x", new byte[] {(byte) 0xE2, (byte) 0x82}, "\n\u00e9",
                new byte[] {(byte) 0xF0, (byte) 0x9F});
        assertStreamedHashIsTheOldOne(f, true);
        assertThrows(CorpusException.class, () -> new TextDigest().addCorpus(f, false));
    }

    @Test
    void endLineAddsALineBreakOnlyWhereOneIsMissing() throws Exception {
        assertEquals(oldHash(""), new TextDigest().endLine().hex());
        assertEquals(oldHash("a\n"), new TextDigest().addText("a").endLine().hex());
        assertEquals(oldHash("a\n"), new TextDigest().addText("a\n").endLine().hex());
    }
}
