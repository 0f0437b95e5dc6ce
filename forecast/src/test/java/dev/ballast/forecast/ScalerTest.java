package dev.ballast.forecast;

import dev.ballast.engine.InputException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScalerTest {

    private static final double[] X = {2, 4, 4, 4, 5, 5, 7, 9, 1000};

    @Test
    void standardScalingUsesMeanAndStdOfTheTrainingRangeOnly() {
        // the first 8 values: mean 5, population std 2 (the classic example); 1000 is outside the range
        Scaler s = Scaler.fit(ScaleKind.STANDARD, X, 0, 8);
        assertEquals(5, s.shift(), 1e-12);
        assertEquals(2, s.scale(), 1e-12);
        assertEquals(1, s.transform(7), 1e-12);
    }

    @Test
    void minMaxAndMeanScalingMatchTheirDefinitions() {
        Scaler mm = Scaler.fit(ScaleKind.MINMAX, X, 0, 8);
        assertEquals(0, mm.transform(2), 1e-12);
        assertEquals(1, mm.transform(9), 1e-12);
        Scaler mean = Scaler.fit(ScaleKind.MEAN, new double[] {-1, 3}, 0, 2);
        assertEquals(0, mean.shift());
        assertEquals(2, mean.scale(), 1e-12);
    }

    @Test
    void everyScalerRoundTrips() {
        for (ScaleKind kind : ScaleKind.values()) {
            Scaler s = Scaler.fit(kind, X, 0, X.length);
            for (double v : new double[] {-3.5, 0, 4, 1234.5}) {
                assertEquals(v, s.inverse(s.transform(v)), 1e-9, kind.id());
            }
        }
    }

    @Test
    void constantTrainingPartGetsScaleOne() {
        double[] flat = {7, 7, 7, 7};
        assertEquals(1, Scaler.fit(ScaleKind.STANDARD, flat, 0, 4).scale());
        assertEquals(1, Scaler.fit(ScaleKind.MINMAX, flat, 0, 4).scale());
        assertEquals(1, Scaler.fit(ScaleKind.MEAN, new double[] {0, 0}, 0, 2).scale());
        assertEquals(0, Scaler.fit(ScaleKind.STANDARD, flat, 0, 4).transform(7));
    }

    @Test
    void unknownKindNamesTheField() {
        assertEquals("scale must be one of standard, minmax, mean, got 'robust'",
                assertThrows(InputException.class, () -> ScaleKind.parse("robust")).getMessage());
    }

    @Test
    void encodingRoundTripsThroughLogAndSeasonalDifference() {
        double[] y = new double[30];
        for (int t = 0; t < y.length; t++) {
            y[t] = 100 + t + 10 * Math.sin(t);
        }
        ForecastConfig c = ForecastConfig.builder().horizon(4).season(4).transform(Transform.LOG).difference(4).scale(ScaleKind.MINMAX).build();
        SeriesEncoding e = SeriesEncoding.fit(y, new double[0][], 20, c, "y");
        double[] s = e.encode(y);
        double[] tail = java.util.Arrays.copyOfRange(s, 20, 30);
        assertArrayEquals(java.util.Arrays.copyOfRange(y, 20, 30), e.decode(y, 20, tail), 1e-9);
    }

    @Test
    void logTransformRefusesNonPositiveValues() {
        ForecastConfig c = ForecastConfig.builder().transform(Transform.LOG).build();
        assertEquals("transform log needs positive values, but y has 0.0 at position 2",
                assertThrows(InputException.class,
                        () -> SeriesEncoding.fit(new double[] {1, 0, 2}, new double[0][], 3, c, "y")).getMessage());
    }
}
