package dev.ballast.corpora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DefaultCorpusTest {

    @Test
    void embeddedCorpusIsBetween40And60Kilobytes() {
        int bytes = DefaultCorpus.text().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes >= 40_000 && bytes <= 60_000, "size " + bytes);
    }

    @Test
    void embeddedCorpusIsStrictUtf8Text() throws IOException, CharacterCodingException {
        byte[] raw;
        try (InputStream in = DefaultCorpus.class.getResourceAsStream(DefaultCorpus.RESOURCE)) {
            raw = in.readAllBytes();
        }
        String strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw)).toString();
        assertEquals(strict, DefaultCorpus.text());
        assertFalse(strict.startsWith("\uFEFF"), "no byte order mark");
        strict.codePoints().forEach(cp -> assertTrue(cp == '\n' || !Character.isISOControl(cp) && cp != 0xFFFD,
                String.format("unexpected U+%04X", cp)));
    }

    @Test
    void embeddedCorpusIsProseWithLines() {
        String text = DefaultCorpus.text();
        assertTrue(text.contains("Shall I compare thee to a summer's day?"));
        assertTrue(text.lines().count() > 500, "lines " + text.lines().count());
        assertTrue(text.endsWith("\n"));
    }

    @Test
    void descriptionIsOneLine() {
        assertFalse(DefaultCorpus.DESCRIPTION.isBlank());
        assertFalse(DefaultCorpus.DESCRIPTION.contains("\n"));
    }
}
