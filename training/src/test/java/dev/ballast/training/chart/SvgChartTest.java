package dev.ballast.training.chart;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {

    @Test
    void linearTicksAreOneTwoOrFiveTimesAPowerOfTenApartWithFewDigits() {
        Random r = new Random(1);
        for (int k = 0; k < 2000; k++) {
            double scale = Math.pow(10, r.nextInt(12) - 6);
            double lo = (r.nextDouble() - 0.5) * 2 * scale;
            double hi = lo + (0.02 + r.nextDouble()) * scale; // spread over at least 1% of the values' size
            Ticks t = Ticks.linear(lo, hi, 5, true);
            assertTrue(t.values().length >= 2 && t.values().length <= 11, lo + ".." + hi + ": " + t.values().length);
            double step = t.values()[1] - t.values()[0];
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
            assertTrue(Math.abs(mantissa - 1) < 1e-6 || Math.abs(mantissa - 2) < 1e-6 || Math.abs(mantissa - 5) < 1e-6,
                    lo + ".." + hi + ": step " + step);
            assertTrue(t.lo() <= lo && t.hi() >= hi, "the axis covers the data");
            for (String label : t.labels()) {
                assertTrue(significant(label) <= 4, lo + ".." + hi + ": " + label);
            }
        }
    }

    @Test
    void ticksForTheRangesTheChartsMeet() {
        Ticks loss = Ticks.linear(1.771, 4.206, 5, true);
        assertArrayEquals(new String[] {"1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5"}, loss.labels());
        Ticks lr = Ticks.linear(0, 0.002, 5, true);
        assertArrayEquals(new String[] {"0", "0.0005", "0.0010", "0.0015", "0.0020"}, lr.labels());
        Ticks steps = Ticks.linear(0, 200, 6, false);
        assertArrayEquals(new String[] {"0", "50", "100", "150", "200"}, steps.labels());
        assertArrayEquals(new String[] {"0", "50k", "100k", "150k", "200k", "250k"},
                Ticks.linear(0, 240_000, 5, true).labels());
        assertArrayEquals(new String[] {"0", "1e-5", "2e-5", "3e-5"}, Ticks.linear(0, 3e-5, 4, true).labels());
        Ticks grad = Ticks.log(0.2253, 5, 5);
        assertArrayEquals(new String[] {"0.2", "0.5", "1", "2", "5"}, grad.labels());
        assertEquals(0.2, grad.lo(), 1e-12);
        assertEquals(5, grad.hi(), 1e-12);
        assertArrayEquals(new String[] {"0.001", "0.01", "0.1", "1", "10", "100"}, Ticks.log(0.003, 40, 5).labels());
        assertArrayEquals(new String[] {"0.2", "0.5", "1"}, Ticks.log(0.3, 0.9, 5).labels());
        assertArrayEquals(new String[] {"0.3", "0.4", "0.5"}, Ticks.log(0.31, 0.45, 5).labels());
    }

    @Test
    void timeTicksAreWholeCalendarUnits() {
        double jan2015 = SvgChart.seconds(LocalDateTime.of(2015, 1, 1, 0, 0));
        double jun2020 = SvgChart.seconds(LocalDateTime.of(2020, 6, 1, 0, 0));
        assertArrayEquals(new String[] {"2015", "2016", "2017", "2018", "2019", "2020"},
                TimeTicks.of(jan2015, jun2020, 8).labels());
        double may2019 = SvgChart.seconds(LocalDateTime.of(2019, 5, 1, 0, 0));
        assertArrayEquals(new String[] {"2019-07", "2019-10", "2020-01", "2020-04"},
                TimeTicks.of(may2019, jun2020, 5).labels());
        double day = SvgChart.seconds(LocalDateTime.of(2024, 3, 5, 0, 0));
        assertArrayEquals(new String[] {"00:00", "06:00", "12:00", "18:00"}, TimeTicks.of(day, day + 20 * 3600, 5).labels());
        String[] days = TimeTicks.of(day, day + 9 * 86400, 6).labels();
        assertEquals("2024-03-06", days[0]);
        String[] weeks = TimeTicks.of(day, day + 60 * 86400, 6).labels();
        assertEquals(java.time.DayOfWeek.MONDAY, java.time.LocalDate.parse(weeks[0]).getDayOfWeek());
        assertEquals(java.time.LocalDate.parse(weeks[0]).plusDays(14), java.time.LocalDate.parse(weeks[1]));
    }

    @Test
    void aChartIsOneSelfContainedSvgDocumentWithTitleAxisLabelsAndLegend() throws Exception {
        double[] x = {1, 2, 3, 4};
        String svg = new SvgChart("Loss <train> & \"val\"").xLabel("step").yLabel("loss")
                .line("train", x, new double[] {4, 3, 2.5, 2.2}, SvgChart.BLUE)
                .line("validation", new double[] {2, 4}, new double[] {3.1, 2.4}, SvgChart.RED, SvgChart.Style.MARKERS)
                .render();
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))); // well-formed
        assertTrue(svg.contains("Loss &lt;train&gt; &amp; &quot;val&quot;"));
        assertTrue(svg.contains(">step</text>") && svg.contains(">loss</text>"));
        assertTrue(svg.contains("<title>train</title>") && svg.contains("<title>validation</title>"));
        assertTrue(svg.contains("<circle"), "markers on the validation points");
        for (String external : new String[] {"<script", "href", "url(", "@import", "@font-face"}) {
            assertFalse(svg.contains(external), external);
        }
        String single = new SvgChart("Learning rate").line("learning rate", x, new double[] {1, 1, 0.5, 0.5},
                SvgChart.PURPLE, SvgChart.Style.STEP).render();
        assertFalse(single.contains(">learning rate</text>"), "no legend for one series");
    }

    @Test
    void aStepLineJumpsAtEachChange() {
        String svg = new SvgChart("Learning rate").includeY(0)
                .line("lr", new double[] {0, 1, 2, 3}, new double[] {2e-3, 2e-3, 1e-3, 1e-3}, SvgChart.PURPLE,
                        SvgChart.Style.STEP).render();
        Matcher m = Pattern.compile("<path d=\"(M[^\"]*)\" fill=\"none\" stroke=\"" + SvgChart.PURPLE).matcher(svg);
        assertTrue(m.find(), svg);
        assertTrue(m.group(1).matches("M[\\d.]+ [\\d.]+( H[\\d.]+ V[\\d.]+){3}"), m.group(1));
    }

    @Test
    void allZerosOrNothingIsANoteNotAnEmptyBox() {
        double[] x = {1, 2, 3};
        String zeros = new SvgChart("Clipped steps").ifAllZero("no steps clipped")
                .line("clipped", x, new double[3], SvgChart.ORANGE).render();
        assertTrue(zeros.contains(">no steps clipped</text>"), zeros);
        assertFalse(zeros.contains("<path"), zeros);
        String empty = new SvgChart("Spectral norm").ifEmpty("no spectral norms").render();
        assertTrue(empty.contains(">no spectral norms</text>") && !empty.contains("<path"), empty);
        assertTrue(new SvgChart("Clipped").line("c", x, new double[3], SvgChart.ORANGE).render().contains("<path d=\"M"),
                "zeros are drawn unless a note is asked for");
    }

    @Test
    void aLongSeriesIsThinnedToAFewPointsPerPixelKeepingItsExtremes() {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            pts.add(new double[] {i * 500.0 / 100_000, i == 54_321 ? 0 : 100 + Math.sin(i)});
        }
        List<double[]> thin = SvgChart.thin(pts, 500);
        assertTrue(thin.size() <= 4 * 501, "" + thin.size());
        assertTrue(thin.stream().anyMatch(p -> p[1] == 0), "the spike survives");
    }

    private static int significant(String label) {
        String digits = label.replaceAll("e-?\\d+$", "").replaceAll("[^0-9]", "").replaceFirst("^0+", "");
        return digits.replaceFirst("0+$", "").length();
    }
}
