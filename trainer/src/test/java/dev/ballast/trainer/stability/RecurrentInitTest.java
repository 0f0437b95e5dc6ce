package dev.ballast.trainer.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.trainer.Rng;
import dev.ballast.trainer.math.KernelProvider;
import dev.ballast.trainer.nn.CellType;
import dev.ballast.trainer.nn.LanguageModel;
import dev.ballast.trainer.nn.ModelConfig;
import org.junit.jupiter.api.Test;

class RecurrentInitTest {

    private static LanguageModel model(CellType cell) {
        LanguageModel m = new LanguageModel(new ModelConfig(cell, 5, 3, 6, 2, 0f), KernelProvider.scalar());
        m.initialize(new Rng(4));
        return m;
    }

    @Test
    void identityMakesEveryGateBlockAScaledIdentity() {
        LanguageModel m = model(CellType.LSTM);
        RecurrentInit.apply(m, "identity", 0.9);
        float[] w = m.layers().get(1).wRecurrent().value(); // (6, 24)
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 24; j++) {
                assertEquals(j % 6 == i ? 0.9f : 0f, w[i * 24 + j], "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void scaledOrthogonalBlocksHaveThatSpectralNorm() {
        LanguageModel m = model(CellType.RNN_RELU);
        RecurrentInit.apply(m, "orthogonal", 0.5);
        float[] w = m.layers().get(0).wRecurrent().value();
        assertEquals(0.5, SpectralNorm.of(w, 0, 6, 6, 6, 100), 1e-4);
    }

    @Test
    void unknownChoiceNamesTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecurrentInit.validate("xavier", 1));
        assertTrue(e.getMessage().startsWith("--init must be one of orthogonal, identity"), e.getMessage());
    }
}
