package dev.ballast.corpora;

import dev.ballast.engine.InputException;

/**
 * A corpus cut into consecutive train, validation and test parts, in that order.
 *
 * <p>Cuts fall on code point boundaries, so a surrogate pair is never split. The test part is the
 * last {@code testFraction} of the code points and the validation part the {@code validFraction}
 * before it:
 *
 * <pre>
 *   n          = number of code points
 *   trainEnd   = floor((1 - validFraction - testFraction) * n)
 *   validEnd   = floor((1 - testFraction) * n)
 *   train = [0, trainEnd)   valid = [trainEnd, validEnd)   test = [validEnd, n)
 * </pre>
 *
 * With {@code validFraction = 0.1, testFraction = 0} this is exactly the split of the classic
 * char-RNN scripts, {@code n = int(0.9 * len(data)); train, val = data[:n], data[n:]}.
 *
 * <pre>{@code
 * TextSplit split = TextSplit.byFraction(text, 0.1, 0.0);
 * tokenizer = CharTokenizer.fit(split.train(), UnknownPolicy.REPLACE);
 * }</pre>
 */
public record TextSplit(String train, String valid, String test) {

    /**
     * Splits {@code text} by fractions of its code points.
     *
     * @throws IllegalArgumentException if a fraction is outside [0, 1) or they sum to 1 or more,
     *     naming {@code valid_fraction} / {@code test_fraction}
     * @throws CorpusException if the text is too small to give a non-empty train part, or a
     *     non-empty validation/test part when its fraction is positive
     */
    public static TextSplit byFraction(String text, double validFraction, double testFraction) {
        checkFraction("valid_fraction", validFraction);
        checkFraction("test_fraction", testFraction);
        if (validFraction + testFraction >= 1.0) {
            throw InputException.naming("{valid_fraction} + {test_fraction} must be below 1, got "
                    + validFraction + " + " + testFraction);
        }
        int n = text.codePointCount(0, text.length());
        int trainEnd = (int) Math.floor((1.0 - validFraction - testFraction) * n);
        int validEnd = (int) Math.floor((1.0 - testFraction) * n);
        if (trainEnd <= 0) {
            throw tooSmall(n, "training", validFraction, testFraction);
        }
        if (validFraction > 0 && validEnd <= trainEnd) {
            throw tooSmall(n, "validation", validFraction, testFraction);
        }
        if (testFraction > 0 && validEnd >= n) {
            throw tooSmall(n, "test", validFraction, testFraction);
        }
        int trainChars = text.offsetByCodePoints(0, trainEnd);
        int validChars = text.offsetByCodePoints(trainChars, validEnd - trainEnd);
        return new TextSplit(text.substring(0, trainChars), text.substring(trainChars, validChars),
                text.substring(validChars));
    }

    private static void checkFraction(String field, double value) {
        if (!(value >= 0.0 && value < 1.0)) {
            throw InputException.field(field, "must be in [0, 1), got " + value);
        }
    }

    private static CorpusException tooSmall(int n, String part, double validFraction, double testFraction) {
        return CorpusException.naming("corpus too small to split: " + n + " characters leave an empty " + part
                + " part with {valid_fraction} " + validFraction + " and {test_fraction} " + testFraction
                + "; use a larger corpus or change the fractions");
    }
}
