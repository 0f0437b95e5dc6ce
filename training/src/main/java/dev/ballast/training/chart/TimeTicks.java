package dev.ballast.training.chart;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Ticks for a time axis whose values are seconds since 1970 (of a {@link LocalDateTime} read as UTC): at
 * whole calendar units (years, months, days, hours, minutes, seconds), a step of 1, 2, 5, 10... of them
 * (quarters and half years for months; weeks from Mondays), labelled with as much of the date as the step needs
 * ({@code 2019}, {@code 2019-04}, {@code 2019-04-15}, {@code 04-15 06:00}).
 */
final class TimeTicks {

    private record Step(ChronoUnit unit, int count, double seconds) {
    }

    private static final List<Step> STEPS = steps();

    private TimeTicks() {
    }

    private static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        for (int c : new int[] {1, 2, 5, 10, 15, 30}) {
            s.add(new Step(ChronoUnit.SECONDS, c, c));
        }
        for (int c : new int[] {1, 2, 5, 10, 15, 30}) {
            s.add(new Step(ChronoUnit.MINUTES, c, 60.0 * c));
        }
        for (int c : new int[] {1, 2, 3, 6, 12}) {
            s.add(new Step(ChronoUnit.HOURS, c, 3600.0 * c));
        }
        for (int c : new int[] {1, 2, 7, 14}) {
            s.add(new Step(ChronoUnit.DAYS, c, 86400.0 * c));
        }
        for (int c : new int[] {1, 2, 3, 6}) {
            s.add(new Step(ChronoUnit.MONTHS, c, 2629746.0 * c));
        }
        for (int c : new int[] {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}) {
            s.add(new Step(ChronoUnit.YEARS, c, 31556952.0 * c));
        }
        return s;
    }

    /** Seconds since 1970-01-01T00:00 of {@code t}, as the axis measures time. */
    static double seconds(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) + t.getNano() * 1e-9;
    }

    static LocalDateTime time(double seconds) {
        long s = (long) Math.floor(seconds);
        return LocalDateTime.ofEpochSecond(s, (int) Math.round((seconds - s) * 1e9) % 1_000_000_000, ZoneOffset.UTC);
    }

    /** At most {@code target} ticks within [lo, hi] (seconds); the axis keeps the data's range. */
    static Ticks of(double lo, double hi, int target) {
        if (!(hi > lo)) {
            lo -= 43200;
            hi += 43200;
        }
        Step step = STEPS.get(STEPS.size() - 1);
        for (Step s : STEPS) {
            if ((hi - lo) / s.seconds <= target) {
                step = s;
                break;
            }
        }
        List<Double> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        DateTimeFormatter f = formatter(step.unit, hi - lo);
        for (LocalDateTime t = first(time(lo), step); seconds(t) <= hi + 1e-6; t = t.plus(step.count, step.unit)) {
            values.add(seconds(t));
            labels.add(f.format(t));
        }
        return new Ticks(lo, hi, values.stream().mapToDouble(Double::doubleValue).toArray(),
                labels.toArray(String[]::new));
    }

    /** The first whole unit at or after {@code t} that is a multiple of the step (Jan, Apr, Jul, Oct...). */
    private static LocalDateTime first(LocalDateTime t, Step step) {
        LocalDateTime start = switch (step.unit) {
            case YEARS -> LocalDateTime.of(t.getYear(), 1, 1, 0, 0);
            case MONTHS -> LocalDateTime.of(t.getYear(), t.getMonth(), 1, 0, 0);
            default -> t.truncatedTo(step.unit);
        };
        if (start.isBefore(t)) {
            start = start.plus(1, step.unit);
        }
        while (!aligned(start, step)) {
            start = start.plus(1, step.unit);
        }
        return start;
    }

    private static boolean aligned(LocalDateTime t, Step step) {
        return switch (step.unit) {
            case YEARS -> Math.floorMod(t.getYear(), step.count) == 0;
            case MONTHS -> (t.getMonthValue() - 1) % step.count == 0;
            // weeks and fortnights start on a Monday (1970-01-05 was one)
            case DAYS -> step.count < 7 ? Math.floorMod(t.toLocalDate().toEpochDay(), step.count) == 0
                    : Math.floorMod(t.toLocalDate().toEpochDay() - 4, step.count) == 0;
            case HOURS -> t.getHour() % step.count == 0;
            case MINUTES -> t.getMinute() % step.count == 0;
            default -> t.getSecond() % step.count == 0;
        };
    }

    private static DateTimeFormatter formatter(ChronoUnit unit, double span) {
        String pattern = switch (unit) {
            case YEARS -> "uuuu";
            case MONTHS -> "uuuu-MM";
            case DAYS -> "uuuu-MM-dd";
            case HOURS, MINUTES -> span < 86400 ? "HH:mm" : "MM-dd HH:mm";
            default -> span < 86400 ? "HH:mm:ss" : "MM-dd HH:mm:ss";
        };
        return DateTimeFormatter.ofPattern(pattern);
    }
}
