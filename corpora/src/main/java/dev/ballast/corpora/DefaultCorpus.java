package dev.ballast.corpora;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The small corpus embedded in the jar, used when the user asks for {@value CorpusResolver#BUILTIN}
 * (or gives no corpus), so a first run needs no download.
 *
 * <p>About 45 KB of public-domain English written out for Ballast: Shakespeare's sonnets and
 * speeches, Aesop's fables, passages of the King James Bible and nursery rhymes — enough for a
 * char-level model to learn spelling, line breaks and a readable style in a few minutes.
 */
public final class DefaultCorpus {

    /** One line saying what the embedded corpus is, for logs and provenance. */
    public static final String DESCRIPTION =
            "builtin: ~45 KB of public-domain English (Shakespeare sonnets and speeches, Aesop's fables, King James Bible passages, nursery rhymes)";

    static final String RESOURCE = "/dev/ballast/corpora/builtin-corpus.txt";

    private DefaultCorpus() {
    }

    /** The embedded corpus text. */
    public static String text() {
        return Holder.TEXT;
    }

    // Loaded once, on first use.
    private static final class Holder {
        static final String TEXT = load();
    }

    private static String load() {
        try (InputStream in = DefaultCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("embedded corpus " + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded corpus " + RESOURCE, e);
        }
    }
}
