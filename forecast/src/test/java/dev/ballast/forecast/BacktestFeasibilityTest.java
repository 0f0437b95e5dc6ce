package dev.ballast.forecast;

import dev.ballast.engine.InputException;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A backtest the series cannot hold is refused before anything trains, naming the largest that fits. */
class BacktestFeasibilityTest {

    private static final ForecastConfig C = ForecastConfig.builder().horizon(12).season(12).lookback(24).build();

    @Test
    void theLargestFeasibleBacktestPassesAndOneMoreFails() {
        // 144 points, H 12, validation min(12, n/5), look-back 24 (+2): a cut at n' works while n' - 24 >= 26.
        int largest = 0;
        for (int k = 1; k <= 20; k++) {
            int kk = k;
            try {
                Backtest.requireFeasible(144, C, kk);
                largest = k;
            } catch (InputException e) {
                break;
            }
        }
        assertTrue(largest >= 1 && largest < 12, "largest " + largest);
        int fits = largest;
        assertDoesNotThrow(() -> Backtest.requireFeasible(144, C, fits));
        InputException e = assertThrows(InputException.class, () -> Backtest.requireFeasible(144, C, fits + 1));
        assertTrue(e.getMessage().contains("at most --backtest " + fits), e.getMessage());
        assertTrue(e.getMessage().startsWith("--backtest " + (fits + 1) + " "), e.getMessage());
    }

    @Test
    void everyFeasibleCutReallySplits() {
        // What requireFeasible accepts, the pipeline's split accepts at every cut.
        for (int k = 1; k <= 12; k++) {
            try {
                Backtest.requireFeasible(144, C, k);
            } catch (InputException e) {
                break;
            }
            int minTrain = C.difference() + C.lookback() + 2;
            for (int j = 0; j < k; j++) {
                int end = 144 - j * 12;
                assertDoesNotThrow(() -> HoldoutSplit.of(end, 12, 0, minTrain));
            }
        }
    }

    @Test
    void hugeBacktestsFailAtOnceWithoutOverflow() {
        InputException e = assertThrows(InputException.class, () -> Backtest.requireFeasible(144, C, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("at most --backtest"), e.getMessage());
        e = assertThrows(InputException.class, () -> Backtest.requireFeasible(10, C, 1));
        assertTrue(e.getMessage().contains("too short for even one"), e.getMessage());
        assertThrows(InputException.class, () -> Backtest.requireFeasible(144, C, 0));
    }
}
