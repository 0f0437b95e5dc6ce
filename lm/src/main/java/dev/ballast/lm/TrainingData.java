package dev.ballast.lm;

import dev.ballast.engine.InputException;

import dev.ballast.corpora.CorpusResolver;
import dev.ballast.corpora.DefaultCorpus;
import dev.ballast.corpora.TextReader;
import dev.ballast.corpora.TextDigest;
import dev.ballast.corpora.TextSplit;
import dev.ballast.tokenizer.CharTokenizer;
import dev.ballast.tokenizer.Tokenizer;
import dev.ballast.tokenizer.word.AnalyzerSpec;
import dev.ballast.tokenizer.word.WordStream;
import dev.ballast.tokenizer.word.WordTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;

/**
 * The token streams a run trains and validates on, with the tokenizer that produced them.
 * The vocabulary is fitted on the training split only; validation text is encoded with it.
 *
 * <p>{@code --corpus} may list several files separated by commas; they are read in the order given
 * (a directory is read in sorted name order), with a line break added after a file that lacks one.
 *
 * <p>Word level ({@code --level word}): the whole text is analyzed once into words, the split is
 * made on the word stream (the last {@code validFraction} of the words, as the PyTorch reference
 * splits its tensor), and the vocabulary is fitted on the training words only.
 *
 * @param source       what the corpus was (a path, or {@code builtin})
 * @param sha256       SHA-256 of the corpus text in UTF-8 (then a NUL and the {@code --valid} text, if
 *                     given), streamed from the files; recorded in provenance and checked on resume
 * @param validUnknown validation symbols outside the vocabulary
 * @param trainUnknown training symbols outside the vocabulary (words cut by --min-freq / --max-vocab)
 */
public record TrainingData(Tokenizer tokenizer, int[] train, int[] valid, String source, String sha256,
                           long validUnknown, long trainUnknown) {

    public TrainingData(Tokenizer tokenizer, int[] train, int[] valid, String source, String sha256, long validUnknown) {
        this(tokenizer, train, valid, source, sha256, validUnknown, 0);
    }

    /** Share of the training tokens outside the vocabulary, in [0, 1]. */
    public double trainOovRate() {
        return train.length == 0 ? 0 : (double) trainUnknown / train.length;
    }

    /** Share of the validation tokens outside the vocabulary, in [0, 1]. */
    public double validOovRate() {
        return valid.length == 0 ? 0 : (double) validUnknown / valid.length;
    }

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
        // The hash streams the files rather than encoding the text again: same bytes, no second copy.
        TextDigest digest = new TextDigest();
        if (CorpusResolver.isBuiltin(config.corpus())) {
            text = DefaultCorpus.text();
            digest.addText(text);
            source = CorpusResolver.BUILTIN;
        } else if (config.corpus().contains(",")) {
            StringBuilder sb = new StringBuilder();
            List<String> names = new ArrayList<>();
            for (String part : config.corpus().split(",")) {
                if (part.isBlank()) {
                    throw InputException.field("corpus", "'" + config.corpus() + "' has an empty entry in its comma-separated list");
                }
                Path path = CorpusResolver.resolve(part.strip());
                sb.append(TextReader.read(path, config.replaceMalformed()));
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                    sb.append('\n');
                }
                digest.addCorpus(path, config.replaceMalformed()).endLine();
                names.add(path.toString());
            }
            text = sb.toString();
            source = String.join(",", names);
        } else {
            Path path = CorpusResolver.resolve(config.corpus());
            text = TextReader.read(path, config.replaceMalformed());
            digest.addCorpus(path, config.replaceMalformed());
            source = path.toString();
        }
        if (config.wordLevel()) {
            return loadWords(config, existing, text, source, digest);
        }
        String trainText;
        String validText;
        if (config.valid() != null) {
            trainText = text;
            validText = readValid(config, digest);
        } else {
            TextSplit split = TextSplit.byFraction(text, config.validFraction(), 0.0);
            trainText = split.train();
            validText = split.valid();
        }
        Tokenizer tokenizer = existing != null ? existing
                : CharTokenizer.fit(trainText, config.unknownPolicy());
        int[] train = tokenizer.encode(trainText);
        int[] valid = tokenizer.encode(validText);
        long unknown = tokenizer.countUnknown(validText);
        return new TrainingData(tokenizer, train, valid, source, digest.hex(), unknown);
    }

    /** Reads the {@code --valid} text, adding a NUL and its bytes to the corpus hash. */
    private static String readValid(TrainingConfig config, TextDigest digest) {
        Path path = CorpusResolver.resolve(config.valid());
        String validText = TextReader.read(path, config.replaceMalformed());
        digest.addText("\u0000").addCorpus(path, config.replaceMalformed());
        return validText;
    }

    private static TrainingData loadWords(TrainingConfig config, Tokenizer existing, String text, String source,
                                          TextDigest digest) {
        AnalyzerSpec spec = existing instanceof WordTokenizer w ? w.analyzerSpec() : AnalyzerSpec.parse(config.analyzer());
        WordStream words = WordStream.read(spec, text);
        WordStream validWords;
        int trainEnd;
        String validText = null;
        if (config.valid() != null) {
            validText = readValid(config, digest);
            validWords = WordStream.read(spec, validText);
            trainEnd = words.length();
        } else {
            validWords = words;
            // int(0.9 * n) as in the reference: the split is on words, not characters
            trainEnd = (int) ((1.0 - config.validFraction()) * words.length());
        }
        int validFrom = config.valid() != null ? 0 : trainEnd;
        if (trainEnd < 2 || validWords.length() - validFrom < 2) {
            throw InputException.field("corpus", source + " gives " + trainEnd + " training and "
                    + (validWords.length() - validFrom) + " validation words; each split needs at least 2");
        }
        WordTokenizer tokenizer;
        if (existing == null) {
            // The vocabulary comes from the training split; "corpus" scope (for comparisons with tools
            // that index every word of the corpus) takes the validation words too.
            int fitEnd = config.vocabScope() == VocabScope.CORPUS ? words.length() : trainEnd;
            tokenizer = WordTokenizer.fit(spec, words, 0, fitEnd, config.minFreq(), config.maxVocab());
        } else if (existing instanceof WordTokenizer w) {
            tokenizer = w;
        } else {
            throw InputException.naming("the saved model has a " + existing.type() + " tokenizer but the config says {level} word");
        }
        int[] train = tokenizer.map(words, 0, trainEnd);
        int[] valid = tokenizer.map(validWords, validFrom, validWords.length());
        return new TrainingData(tokenizer, train, valid, source, digest.hex(),
                tokenizer.countUnknown(validWords, validFrom, validWords.length()),
                tokenizer.countUnknown(words, 0, trainEnd));
    }
}
