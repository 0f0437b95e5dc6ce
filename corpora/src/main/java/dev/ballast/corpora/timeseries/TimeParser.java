package dev.ballast.corpora.timeseries;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.util.regex.Pattern;

/**
 * Parses the time stamps forecasting files use: {@code yyyy}, {@code yyyy-MM}, {@code yyyy-MM-dd},
 * ISO local date-times ({@code 2020-01-31T12:00[:00]}, a space instead of {@code T} is accepted) and
 * ISO date-times with an offset or {@code Z} (converted to UTC). Returns null when nothing fits.
 */
final class TimeParser {

    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern YEAR_MONTH = Pattern.compile("\\d{4}-\\d{1,2}");

    private TimeParser() {
    }

    static LocalDateTime parse(String text) {
        String t = text.trim();
        try {
            if (YEAR.matcher(t).matches()) {
                return LocalDate.of(Integer.parseInt(t), 1, 1).atStartOfDay();
            }
            if (YEAR_MONTH.matcher(t).matches()) {
                String[] p = t.split("-");
                return YearMonth.of(Integer.parseInt(p[0]), Integer.parseInt(p[1])).atDay(1).atStartOfDay();
            }
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay();
            }
            String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
            if (iso.endsWith("Z") || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10) {
                return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            }
            return LocalDateTime.parse(iso);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }
}
