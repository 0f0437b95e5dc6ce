package dev.ballast.tokenizer.word;

import java.util.Map;
import org.apache.lucene.analysis.TokenizerFactory;
import org.apache.lucene.util.AttributeFactory;

/** Makes {@link LmTokenizer} available to custom chains by the SPI name {@value #NAME}; it takes no parameters. */
public final class LmTokenizerFactory extends TokenizerFactory {

    /** The SPI name. */
    public static final String NAME = "ballastLm";

    public LmTokenizerFactory(Map<String, String> args) {
        super(args);
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("Unknown parameters: " + args);
        }
    }

    /** For the SPI loader only. */
    public LmTokenizerFactory() {
        throw defaultCtorException();
    }

    @Override
    public LmTokenizer create(AttributeFactory factory) {
        return new LmTokenizer();
    }
}
