package dev.ballast.corpora;

import dev.ballast.engine.InputException;

/**
 * A problem with a corpus the user pointed at (missing, binary, badly encoded, too small to split or
 * batch). The message is one line naming the file and, where it helps, the byte offset; the CLI
 * prints it as is.
 */
public class CorpusException extends InputException {

    private static final long serialVersionUID = 1L;

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }

    private CorpusException(String subject, String template) {
        super(subject, template, null);
    }

    /** A message naming configuration fields as {@code {name}} (see {@link InputException}). */
    public static CorpusException naming(String template) {
        return new CorpusException(null, template);
    }
}
