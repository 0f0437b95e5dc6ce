package dev.ballast.forecast;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForecastMetricsTest {

    @Test
    void metricsMatchHandComputedValues() {
        // actual 10, 20, 30; forecast 12, 18, 33 -> errors 2, 2, 3
        // MAE   = 7/3
        // RMSE  = sqrt((4 + 4 + 9) / 3) = sqrt(17/3)
        // MAPE  = 100 * (2/10 + 2/20 + 3/30) / 3 = 100 * 0.4 / 3
        // sMAPE = 100 * (2*2/22 + 2*2/38 + 2*3/63) / 3
        // MASE, m = 2, history 1 3 2 6 4 8: |2-1| |6-3| |4-2| |8-6| = 1 3 2 2 -> scale 2 -> (7/3) / 2 = 7/6
        ForecastMetrics m = ForecastMetrics.of(new double[] {10, 20, 30}, new double[] {12, 18, 33},
                new double[] {1, 3, 2, 6, 4, 8}, 2);
        assertEquals(7.0 / 3, m.mae(), 1e-12);
        assertEquals(Math.sqrt(17.0 / 3), m.rmse(), 1e-12);
        assertEquals(40.0 / 3, m.mape(), 1e-12);
        assertEquals(100 * (4.0 / 22 + 4.0 / 38 + 6.0 / 63) / 3, m.smape(), 1e-12);
        assertEquals(7.0 / 6, m.mase(), 1e-12);
    }

    @Test
    void mapeSkipsZeroActualsAndSmapeCountsThem() {
        // actual 0, 10; forecast 1, 12: MAPE over the second point only = 100 * 2/10 = 20
        // sMAPE = 100 * (2*1/(0+1) + 2*2/(10+12)) / 2
        ForecastMetrics m = ForecastMetrics.of(new double[] {0, 10}, new double[] {1, 12}, new double[] {1, 2, 3}, 1);
        assertEquals(20, m.mape(), 1e-12);
        assertEquals(100 * (2.0 + 4.0 / 22) / 2, m.smape(), 1e-12);
        // MASE with m = 1 on 1 2 3: scale 1, MAE 1.5
        assertEquals(1.5, m.mase(), 1e-12);
    }

    @Test
    void perfectForecastOfZerosHasZeroSmapeAndUndefinedMape() {
        ForecastMetrics m = ForecastMetrics.of(new double[] {0, 0}, new double[] {0, 0}, new double[] {1, 2}, 1);
        assertEquals(0, m.smape());
        assertTrue(Double.isNaN(m.mape()));
    }

    @Test
    void maseFallsBackToLagOneWhenTheHistoryIsShorterThanTheSeason() {
        // history 1 4 2 with m = 12: lag 1 -> |4-1| + |2-4| = 5 over 2 -> 2.5
        assertEquals(2.5, ForecastMetrics.seasonalNaiveScale(new double[] {1, 4, 2}, 12), 1e-12);
        // a flat history has no scale: MASE is undefined rather than infinite
        assertTrue(Double.isNaN(ForecastMetrics.of(new double[] {1}, new double[] {2}, new double[] {5, 5, 5}, 1).mase()));
    }

    @Test
    void baselinesFollowTheirDefinitions() {
        double[] h = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new double[] {6, 6, 6}, Baselines.naive(h, 3));
        // m = 4, T = 6: h = 1..4 -> y_3..y_6 = 3 4 5 6; h = 5, 6 -> one more season back -> 3 4
        assertArrayEquals(new double[] {3, 4, 5, 6, 3, 4}, Baselines.seasonalNaive(h, 6, 4));
        // drift slope (6 - 1) / 5 = 1
        assertArrayEquals(new double[] {7, 8, 9}, Baselines.drift(h, 3), 1e-12);
        Map<String, double[]> all = Baselines.all(h, 2, 4);
        assertEquals(java.util.List.of("naive", "seasonal-naive", "drift"), java.util.List.copyOf(all.keySet()));
    }
}
