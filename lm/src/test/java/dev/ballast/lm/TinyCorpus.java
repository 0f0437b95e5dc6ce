package dev.ballast.lm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small pangram corpus for tests that run the real training loop. */
public final class TinyCorpus {

    private static final String[] LINES = {"the quick brown fox jumps over the lazy dog.\n",
        "pack my box with five dozen liquor jugs!\n", "how vexingly quick daft zebras jump.\n"};

    private TinyCorpus() {
    }

    /** Writes the pangrams in turn, whole lines, until at least {@code chars} characters, to {@code dir/tiny.txt}. */
    public static Path write(Path dir, int chars) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < chars; i++) {
            sb.append(LINES[i % LINES.length]);
        }
        Path file = dir.resolve("tiny.txt");
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    /** The one-layer, 16-unit set-up the stability tests inject their faults into, on a 2,000-character corpus. */
    public static TrainingConfig.Builder faultTestConfig(Path dir) throws IOException {
        return TrainingConfig.builder().corpus(write(dir, 2000).toString()).layers(1).hidden(16).embed(8)
                .seq(8).batch(4).evalEvery(0).sampleLength(0).threads(1).seed(5).lr(0.01f);
    }
}
