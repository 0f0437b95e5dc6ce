package dev.ballast.trainer;

import dev.ballast.corpora.CorpusResolver;
import dev.ballast.corpora.DefaultCorpus;
import dev.ballast.corpora.TextReader;
import dev.ballast.corpora.TextSplit;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.UnknownPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The token streams a run trains and validates on, with the tokenizer that produced them.
 * The vocabulary is fitted on the training split only; validation text is encoded with it.
 *
 * @param source      what the corpus was (a path, or {@code builtin})
 * @param sha256      content hash of the corpus text, recorded in provenance and checked on resume
 */
public record TrainingData(Tokenizer tokenizer, int[] train, int[] valid, String source, String sha256,
                           long validUnknown) {

    /** Reads, splits and tokenizes the corpus a config names, fitting a new tokenizer. */
    public static TrainingData load(TrainingConfig config) {
        return load(config, null);
    }

    /**
     * Like {@link #load(TrainingConfig)}, but with an existing tokenizer (a resumed run keeps the
     * vocabulary it started with).
     */
    public static TrainingData load(TrainingConfig config, Tokenizer existing) {
        String text;
        String source;
        if (CorpusResolver.isBuiltin(config.corpus())) {
            text = DefaultCorpus.text();
            source = CorpusResolver.BUILTIN;
        } else {
            Path path = CorpusResolver.resolve(config.corpus());
            text = TextReader.read(path, config.replaceMalformed());
            source = path.toString();
        }
        String trainText;
        String validText;
        if (config.valid() != null) {
            trainText = text;
            validText = TextReader.read(CorpusResolver.resolve(config.valid()), config.replaceMalformed());
        } else {
            TextSplit split = TextSplit.byFraction(text, config.validFraction(), 0.0);
            trainText = split.train();
            validText = split.valid();
        }
        Tokenizer tokenizer = existing != null ? existing
                : CharTokenizer.fit(trainText, UnknownPolicy.parse(config.unknownPolicy()));
        int[] train = tokenizer.encode(trainText);
        int[] valid = tokenizer.encode(validText);
        long unknown = tokenizer.countUnknown(validText);
        String hashed = config.valid() == null ? text : text + "\u0000" + validText;
        return new TrainingData(tokenizer, train, valid, source, sha256(hashed), unknown);
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
