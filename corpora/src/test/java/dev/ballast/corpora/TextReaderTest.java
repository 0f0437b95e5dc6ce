package dev.ballast.corpora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        return p;
    }

    private Path file(String name, String text) throws IOException {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] b = part instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) part;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void readsAFileAsIs() throws IOException {
        Path p = file("a.txt", "Жизнь " + "\uD83D\uDE00" + "\nno final newline");
        assertEquals("Жизнь \uD83D\uDE00\nno final newline", TextReader.read(p, false));
    }

    @Test
    void invalidUtf8NamesTheExactByteOffset() throws IOException {
        // "ab" (2 bytes) + "é" (2 bytes) then 0xC3 0x28: a lead byte followed by a non-continuation byte.
        Path p = file("bad.txt", concat("abé", new byte[] {(byte) 0xC3, 0x28}, "tail"));
        CorpusException e = assertThrows(CorpusException.class, () -> TextReader.read(p, false));
        assertEquals(p + ": invalid UTF-8 at byte offset 4 (use replace_malformed to substitute U+FFFD)",
                e.getMessage());
    }

    @Test
    void truncatedSequenceAtTheEndIsReportedWhereItStarts() throws IOException {
        // 0xE2 0x82 is the start of a 3-byte sequence (e.g. the euro sign) cut off by end of file.
        Path p = file("cut.txt", concat("12345", new byte[] {(byte) 0xE2, (byte) 0x82}));
        CorpusException e = assertThrows(CorpusException.class, () -> TextReader.read(p, false));
        assertTrue(e.getMessage().contains("invalid UTF-8 at byte offset 5"), e.getMessage());
    }

    @Test
    void replacementModeSubstitutesReplacementCharacter() throws IOException {
        Path p = file("bad.txt", concat("a", new byte[] {(byte) 0xFF}, "b"));
        assertEquals("a\uFFFDb", TextReader.read(p, true));
    }

    @Test
    void nulByteMeansBinaryAtItsOffset() throws IOException {
        Path p = file("blob.bin", concat("abc", new byte[] {0}, "def"));
        CorpusException e = assertThrows(CorpusException.class, () -> TextReader.read(p, true));
        assertEquals(p + " looks like a binary file (NUL byte at byte offset 3)", e.getMessage());
    }

    @Test
    void emptyAndWhitespaceOnlyFilesAreRejected() throws IOException {
        Path empty = file("empty.txt", "");
        Path blank = file("blank.txt", " \n\t\r\n ");
        assertEquals("corpus " + empty + " is empty",
                assertThrows(CorpusException.class, () -> TextReader.read(empty, false)).getMessage());
        assertEquals("corpus " + blank + " is empty",
                assertThrows(CorpusException.class, () -> TextReader.read(blank, false)).getMessage());
    }

    @Test
    void missingPathIsNamed() {
        Path missing = dir.resolve("nope.txt");
        CorpusException e = assertThrows(CorpusException.class, () -> TextReader.read(missing, false));
        assertEquals("corpus not found: " + missing, e.getMessage());
    }

    @Test
    void directoryWithOnlyHiddenFilesHasNoFiles() throws IOException {
        file(".hidden", "secret");
        CorpusException e = assertThrows(CorpusException.class, () -> TextReader.read(dir, false));
        assertTrue(e.getMessage().contains("contains no files"), e.getMessage());
    }

    @Test
    void directoryIsReadSortedRecursivelyEachFileEndingWithNewline() throws IOException {
        file("b.txt", "second");
        file("a.txt", "first\n");
        file("sub/c.txt", "third");
        file(".hidden.txt", "skipped");
        file(".git/config", "skipped too");
        file("sub/empty.txt", "");
        assertEquals("first\nsecond\nthird\n", TextReader.read(dir, false));
    }

    @Test
    void errorInsideADirectoryNamesTheFile() throws IOException {
        file("a.txt", "fine");
        Path bad = file("b.txt", concat("x", new byte[] {(byte) 0x80}));
        CorpusException e = assertThrows(CorpusException.class, () -> TextReader.read(dir, false));
        assertTrue(e.getMessage().startsWith(bad + ": invalid UTF-8 at byte offset 1"), e.getMessage());
    }

    @Test
    void byteOrderMarkIsDropped() throws IOException {
        Path p = file("bom.txt", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "hello"));
        assertEquals("hello", TextReader.read(p, false));
    }

    @Test
    void sha256OfAFileIsTheStandardDigest() throws IOException {
        // FIPS 180-2 test vector: SHA-256("abc").
        Path p = file("abc.txt", "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TextReader.sha256Hex(p));
    }

    @Test
    void sha256OfADirectoryHashesFilesInReadingOrder() throws IOException {
        file("z/2.txt", "c");
        file("1.txt", "ab");
        file(".skip", "ignored");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TextReader.sha256Hex(dir));
    }
}
