package dev.ballast.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Something the user gave cannot be used: a flag or configuration field out of range, a file that is
 * missing or malformed, a corpus too small, a request field of the wrong type. It is the one exception
 * type for user input: a front end shows its one-line message and nothing else (the CLI exits 2, the
 * server answers 400 or the status of a subclass), and treats any other exception as an internal error.
 * Subclasses say where the problem is when that carries meaning ({@code CheckpointException},
 * {@code CorpusException}, {@code UnknownSymbolException}, ...). It is an {@link IllegalArgumentException}
 * whose argument came from the user, so code that validates arguments keeps its contract.
 *
 * <p>A message about a configuration field names it by its snake_case JSON name, and carries it as data:
 * {@link #field(String, String)} makes {@code "clip_norm must be > 0, got -1.0"} with {@link #field()}
 * {@code clip_norm}, and the problem may name further fields as {@code {name}}. {@link #getMessage()} spells
 * every field by that name (what a library caller and a config file see); {@link #message(UnaryOperator)}
 * lets a front end spell them in its own vocabulary — the CLI as the flag the user typed
 * ({@code --clip-norm}), the server as the request's JSON field.
 */
public class InputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** A field reference in a template: {@code {snake_case_name}}. */
    private static final Pattern REFERENCE = Pattern.compile("\\{([a-z][a-z0-9_]*)\\}");

    private final String subject;   // the field the message starts with, or null
    private final String template;  // the rest, with {field} references; null for a literal message
    private final List<String> fields;

    /** A message that names no field (or names it in words of its own), shown as it is. */
    public InputException(String message) {
        this(message, (Throwable) null);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
        this.subject = null;
        this.template = null;
        this.fields = List.of();
    }

    /**
     * For subclasses that name fields: the message is {@code subject} (when not null) followed by
     * {@code template}, whose {@code {name}} references are further fields.
     */
    protected InputException(String subject, String template, Throwable cause) {
        super(render(subject, template, UnaryOperator.identity()), cause);
        this.subject = subject;
        this.template = template;
        List<String> names = new ArrayList<>();
        if (subject != null) {
            names.add(subject);
        }
        Matcher m = REFERENCE.matcher(template);
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        this.fields = Collections.unmodifiableList(names);
    }

    /**
     * The value of {@code field} cannot be used: the message is the field's name then {@code problem},
     * e.g. {@code field("clip_norm", "must be > 0, got -1.0")}. The problem may name other fields as
     * {@code {name}}: {@code field("tie_weights", "needs {embed} equal to {hidden}")}.
     */
    public static InputException field(String field, String problem) {
        return new InputException(field, problem, null);
    }

    /** A message naming fields as {@code {name}} anywhere, e.g. {@code "give {steps} or {epochs}, not both"}. */
    public static InputException naming(String template) {
        return new InputException(null, template, null);
    }

    /** The field this message is about (the first one it names), or null when it names none. */
    public String field() {
        return fields.isEmpty() ? null : fields.get(0);
    }

    /** Every field the message names, the one it is about first. */
    public List<String> fields() {
        return fields;
    }

    /**
     * The message with each field spelled by {@code names} (a field it maps to null keeps its own name):
     * how a front end shows it in its own vocabulary.
     */
    public String message(UnaryOperator<String> names) {
        if (template == null) {
            return getMessage();
        }
        return render(subject, template, name -> {
            String spelled = names.apply(name);
            return spelled == null ? name : spelled;
        });
    }

    private static String render(String subject, String template, UnaryOperator<String> names) {
        Matcher m = REFERENCE.matcher(template);
        StringBuilder sb = new StringBuilder();
        if (subject != null) {
            sb.append(names.apply(subject)).append(template.isEmpty() || template.startsWith(":") ? "" : " ");
        }
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(names.apply(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
