package dev.ballast.tokenizer.word;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default analyzer on tinyshakespeare: speaker names, punctuation and line breaks come back readable. */
class ShakespeareWordsTest {

    @Test
    void defaultAnalyzerRoundTripsAlmostEveryLineAndEverySpeakerName() throws IOException {
        String root = System.getProperty("ballast.corpora");
        assumeTrue(root != null && !root.isBlank() && !root.startsWith("${"), "ballast.corpora not set");
        Path file = Path.of(root, "tinyshakespeare", "input.txt");
        assumeTrue(Files.isRegularFile(file), file + " missing");
        String text = Files.readString(file);
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), text, 1, 0);
        int same = 0;
        int speakers = 0;
        String[] lines = text.split("\n", -1);
        for (String line : lines) {
            boolean equal = tok.decode(tok.encode(line + "\n")).equals(line + "\n");
            same += equal ? 1 : 0;
            if (line.matches("[A-Z][A-Za-z]*( [A-Z][A-Za-z]*)*:")) { // "ROMEO:", "First Citizen:"
                speakers++;
                assertTrue(equal, "speaker line changed: " + line);
            }
        }
        assertTrue(speakers > 1000, "found " + speakers + " speaker lines");
        // The misses are elisions like "o' the" and "'tis" that a streaming rule cannot tell from quotes.
        assertTrue(same >= 0.98 * lines.length, same + " of " + lines.length + " lines round-trip");
        // Whole text: the line structure is kept exactly.
        String decoded = tok.decode(tok.encode(text));
        assertEquals(text.split("\n", -1).length, decoded.split("\n", -1).length);
    }
}
