package dev.ballast.corpora.timeseries;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeSeriesCsvTest {

    private static TimeSeries parse(String text, TimeSeriesCsv.Options o) {
        return TimeSeriesCsv.parse(text, "s.csv", o);
    }

    private static String error(String text, TimeSeriesCsv.Options o) {
        return assertThrows(TimeSeriesException.class, () -> parse(text, o)).getMessage();
    }

    @Test
    void readsQuotedHeaderAndValuesByName() {
        TimeSeries s = parse("\"Month\",\"Passengers\"\n\"1949-01\",112\n\"1949-02\",118\n",
                TimeSeriesCsv.Options.of("Passengers").withTimeColumn("Month"));
        assertArrayEquals(new double[] {112, 118}, s.values());
        assertEquals(LocalDateTime.of(1949, 2, 1, 0, 0), s.times()[1]);
        assertEquals("Passengers", s.valueName());
    }

    @Test
    void quotedFieldsMayHoldDelimitersQuotesAndLineBreaks() {
        TimeSeries s = parse("note,v\n\"a, \"\"quoted\"\" note\",1.5\r\n\"two\nlines\",2\n", TimeSeriesCsv.Options.of("v"));
        assertArrayEquals(new double[] {1.5, 2}, s.values());
    }

    @Test
    void columnsCanBeChosenByOneBasedIndexAndCaseInsensitively() {
        String text = "a,b\n1,10\n2,20\n";
        assertArrayEquals(new double[] {10, 20}, parse(text, TimeSeriesCsv.Options.of("2")).values());
        assertArrayEquals(new double[] {1, 2}, parse(text, TimeSeriesCsv.Options.of("A")).values());
    }

    @Test
    void readsTsvFromExtensionAndFromHeader(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.tsv");
        Files.writeString(f, "t\tv\n2020-01-01\t3\n2020-01-02\t4\n");
        TimeSeries s = TimeSeriesCsv.read(f, TimeSeriesCsv.Options.of("v").withTimeColumn("t"));
        assertArrayEquals(new double[] {3, 4}, s.values());
        assertEquals(LocalDateTime.of(2020, 1, 2, 0, 0), s.times()[1]);
        assertArrayEquals(new double[] {3, 4}, parse("t\tv\n1\t3\n2\t4\n", TimeSeriesCsv.Options.of("v")).values());
    }

    @Test
    void parsesYearMonthDayAndIsoDateTimes() {
        TimeSeriesCsv.Options o = TimeSeriesCsv.Options.of("v").withTimeColumn("t");
        assertEquals(LocalDateTime.of(1999, 1, 1, 0, 0), parse("t,v\n1999,1\n", o).times()[0]);
        assertEquals(LocalDateTime.of(2021, 3, 4, 5, 6, 7), parse("t,v\n2021-03-04T05:06:07,1\n", o).times()[0]);
        assertEquals(LocalDateTime.of(2021, 3, 4, 5, 6), parse("t,v\n2021-03-04 05:06,1\n", o).times()[0]);
        // 07:00 at +02:00 is 05:00 UTC
        assertEquals(LocalDateTime.of(2021, 3, 4, 5, 0), parse("t,v\n2021-03-04T07:00:00+02:00,1\n", o).times()[0]);
        assertEquals(LocalDateTime.of(2021, 3, 4, 5, 0), parse("t,v\n2021-03-04T05:00:00Z,1\n", o).times()[0]);
    }

    @Test
    void readsCovariateColumns() {
        TimeSeries s = parse("v,temp,promo\n1,20,0\n2,21,1\n",
                TimeSeriesCsv.Options.of("v").withCovariates(List.of("temp", "promo")));
        assertEquals(List.of("temp", "promo"), s.covariateNames());
        assertArrayEquals(new double[] {20, 21}, s.covariates()[0]);
        assertArrayEquals(new double[] {0, 1}, s.covariates()[1]);
        assertNull(s.times());
    }

    @Test
    void badNumberNamesRowAndColumn() {
        // row 3 is the file's third line (the header is line 1)
        String m = error("t,v\n2020-01,1\n2020-02,?0.2x\n", TimeSeriesCsv.Options.of("v"));
        assertEquals("s.csv: row 3, column 'v': cannot parse '?0.2x' as a number", m);
    }

    @Test
    void badCovariateNamesItsColumn() {
        String m = error("v,c\n1,2\n2,abc\n", TimeSeriesCsv.Options.of("v").withCovariates(List.of("c")));
        assertTrue(m.contains("row 3, column 'c'"), m);
    }

    @Test
    void badDateNamesRowAndColumn() {
        String m = error("t,v\n2020-01,1\n2020-13,2\n", TimeSeriesCsv.Options.of("v").withTimeColumn("t"));
        assertTrue(m.startsWith("s.csv: row 3, column 't': cannot parse '2020-13' as a time"), m);
    }

    @Test
    void timeGoingBackwardsIsAnError() {
        String m = error("t,v\n2020-02,1\n2020-01,2\n", TimeSeriesCsv.Options.of("v").withTimeColumn("t"));
        assertTrue(m.contains("row 3, column 't'") && m.contains("sort the file"), m);
    }

    @Test
    void wrongFieldCountNamesTheRow() {
        assertEquals("s.csv: row 3 has 3 fields, the header has 2",
                error("t,v\n1,2\n3,4,5\n", TimeSeriesCsv.Options.of("v")));
    }

    @Test
    void unknownColumnListsTheHeader() {
        String m = error("t,v\n1,2\n", TimeSeriesCsv.Options.of("value"));
        assertEquals("s.csv: no value column 'value' (the header has t, v; a 1-based index works too)", m);
    }

    @Test
    void unclosedQuoteAndJunkAfterQuoteAreErrors() {
        assertTrue(error("t,v\n\"1,2\n", TimeSeriesCsv.Options.of("v")).contains("row 2, field 1: a quoted field is never closed"));
        assertTrue(error("t,v\n\"1\"x,2\n", TimeSeriesCsv.Options.of("v")).contains("row 2, field 1: unexpected 'x'"));
    }

    @Test
    void emptyFilesAndHeaderOnlyFilesAreErrors() {
        assertEquals("s.csv: the file is empty", error("", TimeSeriesCsv.Options.of("v")));
        assertEquals("s.csv: the file has a header but no data rows", error("t,v\n", TimeSeriesCsv.Options.of("v")));
    }

    @Test
    void missingValueIsAnErrorWithoutAFillPolicy() {
        String m = error("v\n1\nNA\n3\n", TimeSeriesCsv.Options.of("v"));
        assertEquals("s.csv: row 3, column 'v': missing value ('NA'); choose fill previous, linear, zero or drop", m);
        assertTrue(error("t,v\n1,\n", TimeSeriesCsv.Options.of("v")).contains("row 2, column 'v': missing value"));
    }

    @Test
    void fillPreviousCarriesTheLastValueAndBackfillsTheStart() {
        TimeSeries s = parse("v\n\n1\nNA\n?\n4\n", TimeSeriesCsv.Options.of("v").withFill(FillPolicy.PREVIOUS));
        // the blank second line is skipped as an empty record; leading gaps do not occur here
        assertArrayEquals(new double[] {1, 1, 1, 4}, s.values());
        TimeSeries lead = parse("t,v\n1,NA\n2,5\n3,NA\n", TimeSeriesCsv.Options.of("v").withFill(FillPolicy.PREVIOUS));
        assertArrayEquals(new double[] {5, 5, 5}, lead.values());
    }

    @Test
    void fillLinearInterpolates() {
        TimeSeries s = parse("v\n1\nNA\nNA\n4\nNA\n", TimeSeriesCsv.Options.of("v").withFill(FillPolicy.LINEAR));
        assertArrayEquals(new double[] {1, 2, 3, 4, 4}, s.values(), 1e-12);
    }

    @Test
    void fillZeroUsesZero() {
        TimeSeries s = parse("v\n1\nNA\n3\n", TimeSeriesCsv.Options.of("v").withFill(FillPolicy.ZERO));
        assertArrayEquals(new double[] {1, 0, 3}, s.values());
    }

    @Test
    void fillDropRemovesRowsWithAnyMissingCell() {
        TimeSeries s = parse("t,v,c\n2020-01,1,5\n2020-02,NA,6\n2020-03,3,\n2020-04,4,8\n",
                TimeSeriesCsv.Options.of("v").withTimeColumn("t").withCovariates(List.of("c")).withFill(FillPolicy.DROP));
        assertArrayEquals(new double[] {1, 4}, s.values());
        assertArrayEquals(new double[] {5, 8}, s.covariates()[0]);
        assertEquals(LocalDateTime.of(2020, 4, 1, 0, 0), s.times()[1]);
    }

    @Test
    void fillPolicyParsingNamesTheChoices() {
        assertEquals(FillPolicy.LINEAR, FillPolicy.parse("Linear"));
        assertEquals("fill must be one of none, previous, linear, zero, drop, got 'mean'",
                assertThrows(TimeSeriesException.class, () -> FillPolicy.parse("mean")).getMessage());
    }

    @Test
    void unreadableFileIsOneLineError(@TempDir Path dir) {
        String m = assertThrows(TimeSeriesException.class,
                () -> TimeSeriesCsv.read(dir.resolve("none.csv"), TimeSeriesCsv.Options.of("v"))).getMessage();
        assertTrue(m.startsWith("cannot read ") && m.contains("none.csv"), m);
    }
}
