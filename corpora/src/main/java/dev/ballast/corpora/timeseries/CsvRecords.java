package dev.ballast.corpora.timeseries;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits delimited text into records (RFC 4180): fields may be quoted with {@code "}, a quoted field
 * may hold the delimiter, line breaks and doubled quotes ({@code ""}); records end at LF or CRLF.
 * Blank lines are skipped. Each record remembers the 1-based line it starts on, for error messages.
 */
final class CsvRecords {

    /** One record: its fields and the file line it starts on. */
    record Row(int line, List<String> fields) {
    }

    private CsvRecords() {
    }

    static List<Row> parse(String text, char delimiter, String source) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;      // inside a quoted field
        boolean wasQuoted = false;   // the current field was quoted (then only a delimiter or EOL may follow)
        boolean any = false;         // the current record has content
        int n = text.length();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < n; i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
                continue;
            }
            if (ch == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                any = true;
            } else if (ch == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
                any = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || field.length() > 0) {
                    fields.add(field.toString());
                    rows.add(new Row(recordLine, List.copyOf(fields)));
                }
                fields.clear();
                field.setLength(0);
                wasQuoted = false;
                any = false;
                line++;
                recordLine = line;
            } else if (wasQuoted) {
                if (ch != ' ' && ch != '\t') {
                    throw new TimeSeriesException(source + ": row " + recordLine + ", field " + (fields.size() + 1)
                            + ": unexpected '" + ch + "' after a closing quote");
                }
            } else {
                field.append(ch);
                any = true;
            }
        }
        if (quoted) {
            throw new TimeSeriesException(source + ": row " + recordLine + ", field " + (fields.size() + 1)
                    + ": a quoted field is never closed");
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new Row(recordLine, List.copyOf(fields)));
        }
        return rows;
    }
}
