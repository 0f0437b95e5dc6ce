package dev.ballast.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ballast.corpora.DefaultCorpus;
import dev.ballast.corpora.TextReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corpus hash a run records: streamed from the files, equal to the hash of the whole text as before. */
class TrainingDataTest {

    @TempDir
    Path dir;

    /** What load hashed before streaming: the corpus text (then NUL and the --valid text), encoded whole. */
    private static String oldHash(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private static String hash(TrainingConfig.Builder b) {
        return TrainingData.load(b.build()).sha256();
    }

    private static final String SHAKESPEARE = "\uFEFFFirst Citizen:\nBefore we proceed any further, hear me speak.\n\n"
            + "All:\nSpeak, speak.\n\nFirst Citizen:\nYou are all resolved rather to die than to famish?\n\nAll:\nResolved. resolved.";

    @Test
    void fileHashIsTheOldHashAtCharAndWordLevel() throws Exception {
        Path f = write("play.txt", SHAKESPEARE);
        String expected = oldHash(TextReader.read(f, false));
        assertEquals(expected, hash(TrainingConfig.builder().corpus(f.toString())));
        assertEquals(expected, hash(TrainingConfig.builder().corpus(f.toString()).level(TokenLevel.WORD)));
    }

    @Test
    void directoryHashIsTheOldHashAtCharAndWordLevel() throws Exception {
        write("dir/1.txt", SHAKESPEARE);            // no final line break: read adds one
        write("dir/2/more.txt", "\u00c9t\u00e9, \u00e9t\u00e9!\nAnd summer comes again.\n");
        Path d = dir.resolve("dir");
        String expected = oldHash(TextReader.read(d, false));
        assertEquals(expected, hash(TrainingConfig.builder().corpus(d.toString())));
        assertEquals(expected, hash(TrainingConfig.builder().corpus(d.toString()).level(TokenLevel.WORD)));
    }

    @Test
    void commaListAndValidFileHashAsTheOldJoinedText() throws Exception {
        Path a = write("a.txt", SHAKESPEARE);
        Path b = write("b.txt", "Second part, also without a final line break");
        Path v = write("valid.txt", "Held out text.\nMore held out text here.\n");
        String corpus = TextReader.read(a, false) + "\n" + TextReader.read(b, false) + "\n";
        String list = a + "," + b;
        assertEquals(oldHash(corpus), hash(TrainingConfig.builder().corpus(list)));
        String withValid = corpus + "\u0000" + TextReader.read(v, false);
        assertEquals(oldHash(withValid), hash(TrainingConfig.builder().corpus(list).valid(v.toString())));
        assertEquals(oldHash(withValid), hash(TrainingConfig.builder().corpus(list).valid(v.toString()).level(TokenLevel.WORD)));
    }

    @Test
    void builtinAndReplacedMalformedTextHashAsBefore() throws Exception {
        assertEquals(oldHash(DefaultCorpus.text()), hash(TrainingConfig.builder().corpus("builtin")));
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, ("Some text, then a bad byte: ").getBytes(StandardCharsets.UTF_8));
        Files.write(bad, new byte[] {(byte) 0xC3, 'x', '\n'}, java.nio.file.StandardOpenOption.APPEND);
        Files.write(bad, SHAKESPEARE.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertEquals(oldHash(TextReader.read(bad, true)), hash(TrainingConfig.builder().corpus(bad.toString()).replaceMalformed(true)));
    }

    @Test
    void tinyShakespeareHashIsTheOldHash() throws Exception {
        String root = System.getProperty("ballast.corpora");
        assumeTrue(root != null && !root.isBlank() && !root.startsWith("${"), "ballast.corpora not set");
        Path corpus = Path.of(root, "tinyshakespeare");
        assumeTrue(Files.exists(corpus), "no tinyshakespeare under " + root);
        assertEquals(oldHash(TextReader.read(corpus, false)), hash(TrainingConfig.builder().corpus(corpus.toString())));
    }
}
