package dev.ballast.corpora.timeseries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a time series from a CSV or TSV file: a header row, a value column chosen by name or by 1-based
 * index, an optional time column (see {@link TimeParser} for the formats) and any number of covariate
 * columns. Every unparseable cell is an error naming the file, the row (the file's line) and the column.
 * Missing cells are an error unless a {@link FillPolicy} says otherwise.
 *
 * <pre>{@code
 * TimeSeries s = TimeSeriesCsv.read(Path.of("airline-passengers.csv"),
 *         TimeSeriesCsv.Options.of("Passengers").withTimeColumn("Month"));
 * }</pre>
 */
public final class TimeSeriesCsv {

    /** Cell spellings read as "missing" (case-insensitive). */
    static final Set<String> MISSING = Set.of("", "na", "n/a", "nan", "null", "?", "-");

    /**
     * What to read.
     *
     * @param valueColumn      the target column: a header name, or a 1-based index
     * @param timeColumn       the time column (name or 1-based index), or null for none
     * @param covariateColumns extra input columns (names or 1-based indices)
     * @param fill             what to do with missing cells
     * @param delimiter        the field separator, or null to use tab for {@code .tsv}/{@code .tab} files and
     *                         for files whose header has tabs but no commas, else comma
     */
    public record Options(String valueColumn, String timeColumn, List<String> covariateColumns, FillPolicy fill,
                          Character delimiter) {

        public Options {
            if (valueColumn == null || valueColumn.isBlank()) {
                throw TimeSeriesException.field("column", "must name the value column");
            }
            covariateColumns = List.copyOf(covariateColumns);
            fill = fill == null ? FillPolicy.NONE : fill;
        }

        /** Just the value column; no time, no covariates, missing values are errors, delimiter auto. */
        public static Options of(String valueColumn) {
            return new Options(valueColumn, null, List.of(), FillPolicy.NONE, null);
        }

        public Options withTimeColumn(String column) {
            return new Options(valueColumn, column, covariateColumns, fill, delimiter);
        }

        public Options withCovariates(List<String> columns) {
            return new Options(valueColumn, timeColumn, columns, fill, delimiter);
        }

        public Options withFill(FillPolicy policy) {
            return new Options(valueColumn, timeColumn, covariateColumns, policy, delimiter);
        }

        public Options withDelimiter(char d) {
            return new Options(valueColumn, timeColumn, covariateColumns, fill, d);
        }
    }

    private TimeSeriesCsv() {
    }

    /** Reads {@code file}; every problem is a {@link TimeSeriesException} naming file, row and column. */
    public static TimeSeries read(Path file, Options options) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new TimeSeriesException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new TimeSeriesException("cannot read " + file + ": " + dev.ballast.engine.io.FileErrors.describe(e));
        }
        return parse(text, file.getFileName().toString(), options);
    }

    /** Parses file content; {@code source} names it in messages. */
    public static TimeSeries parse(String text, String source, Options options) {
        char delimiter = options.delimiter() != null ? options.delimiter() : sniff(text, source);
        List<CsvRecords.Row> rows = CsvRecords.parse(text, delimiter, source);
        if (rows.isEmpty()) {
            throw new TimeSeriesException(source + ": the file is empty");
        }
        List<String> header = rows.get(0).fields().stream().map(String::trim).toList();
        int valueIdx = column(header, options.valueColumn(), source, "value");
        int timeIdx = options.timeColumn() == null ? -1 : column(header, options.timeColumn(), source, "time");
        int[] covIdx = new int[options.covariateColumns().size()];
        List<String> covNames = new ArrayList<>();
        for (int k = 0; k < covIdx.length; k++) {
            covIdx[k] = column(header, options.covariateColumns().get(k), source, "covariate");
            covNames.add(header.get(covIdx[k]));
        }
        int n = rows.size() - 1;
        if (n == 0) {
            throw new TimeSeriesException(source + ": the file has a header but no data rows");
        }
        int[] numeric = new int[1 + covIdx.length];
        numeric[0] = valueIdx;
        System.arraycopy(covIdx, 0, numeric, 1, covIdx.length);
        double[][] cols = new double[numeric.length][n];   // NaN marks a missing cell
        LocalDateTime[] times = timeIdx < 0 ? null : new LocalDateTime[n];
        int[] lines = new int[n];
        for (int r = 0; r < n; r++) {
            CsvRecords.Row row = rows.get(r + 1);
            lines[r] = row.line();
            if (row.fields().size() != header.size()) {
                throw new TimeSeriesException(source + ": row " + row.line() + " has " + row.fields().size()
                        + " fields, the header has " + header.size());
            }
            for (int c = 0; c < numeric.length; c++) {
                cols[c][r] = number(row, numeric[c], header, options.fill(), source);
            }
            if (times != null) {
                String cell = row.fields().get(timeIdx);
                times[r] = TimeParser.parse(cell);
                if (times[r] == null) {
                    throw new TimeSeriesException(source + ": row " + row.line() + ", column '" + header.get(timeIdx)
                            + "': cannot parse '" + cell.trim() + "' as a time (use yyyy, yyyy-MM, yyyy-MM-dd or an ISO date-time)");
                }
                if (r > 0 && !times[r].isAfter(times[r - 1])) {
                    throw new TimeSeriesException(source + ": row " + row.line() + ", column '" + header.get(timeIdx)
                            + "': time " + cell.trim() + " does not come after the previous row's; sort the file by time");
                }
            }
        }
        return Gaps.fill(source, header.get(valueIdx), cols, times, lines, covNames, options.fill());
    }

    private static char sniff(String text, String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tsv") || lower.endsWith(".tab")) {
            return '\t';
        }
        int eol = text.indexOf('\n');
        String first = eol < 0 ? text : text.substring(0, eol);
        return first.indexOf('\t') >= 0 && first.indexOf(',') < 0 ? '\t' : ',';
    }

    private static int column(List<String> header, String spec, String source, String role) {
        String s = spec.trim();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equals(s)) {
                return i;
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(s)) {
                return i;
            }
        }
        if (s.matches("\\d+")) {
            int idx = Integer.parseInt(s);
            if (idx >= 1 && idx <= header.size()) {
                return idx - 1;
            }
        }
        throw new TimeSeriesException(source + ": no " + role + " column '" + spec + "' (the header has "
                + String.join(", ", header) + "; a 1-based index works too)");
    }

    private static double number(CsvRecords.Row row, int idx, List<String> header, FillPolicy fill, String source) {
        String cell = row.fields().get(idx).trim();
        if (MISSING.contains(cell.toLowerCase(Locale.ROOT))) {
            if (fill == FillPolicy.NONE) {
                throw TimeSeriesException.naming(source + ": row " + row.line() + ", column '" + header.get(idx)
                        + "': missing value ('" + cell + "'); choose {fill} previous, linear, zero or drop");
            }
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TimeSeriesException(source + ": row " + row.line() + ", column '" + header.get(idx)
                + "': cannot parse '" + cell + "' as a number");
    }
}
