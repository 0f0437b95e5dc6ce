package dev.ballast.corpora.timeseries;

import dev.ballast.engine.Choice;

import java.util.Locale;

/**
 * What to do with a missing cell (empty, {@code NA}, {@code NaN}, {@code null}, {@code ?}). The default,
 * {@link #NONE}, refuses missing values: a forecast silently trained on invented numbers is worse than
 * an error that names the row.
 */
public enum FillPolicy implements Choice {
    /** A missing value is an error naming its row and column. */
    NONE("none"),
    /** Carry the last seen value forward (leading gaps take the first value seen). */
    PREVIOUS("previous"),
    /** Interpolate linearly between the neighbours (edges take the nearest value). */
    LINEAR("linear"),
    /** Replace by 0. */
    ZERO("zero"),
    /** Drop the whole row. */
    DROP("drop");

    private final String id;

    FillPolicy(String id) {
        this.id = id;
    }

    /** The spelling used by {@code --fill}. */
    @Override
    public String id() {
        return id;
    }

    /** Parses {@code --fill}; the message lists the choices. */
    public static FillPolicy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (FillPolicy p : values()) {
            if (p.id.equals(t)) {
                return p;
            }
        }
        throw TimeSeriesException.field("fill", "must be one of " + Choice.ids(FillPolicy.class) + ", got '" + text + "'");
    }
}
