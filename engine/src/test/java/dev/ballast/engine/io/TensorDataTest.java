package dev.ballast.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorDataTest {

    @Test
    void scalarHasEmptyShapeAndOneValue() {
        TensorData scalar = new TensorData(new int[] {}, new float[] {2f});

        assertEquals(1, scalar.size());
        assertThrows(IllegalArgumentException.class, () -> new TensorData(new int[] {}, new float[0]));
    }

    @Test
    void rejectsShapeThatDoesNotMatchTheData() {
        assertThrows(IllegalArgumentException.class, () -> new TensorData(new int[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> new TensorData(new int[] {-2, -3}, new float[6]));
        // 65536 * 65536 overflows int to 0; the product must be computed without overflow
        assertThrows(IllegalArgumentException.class, () -> new TensorData(new int[] {65536, 65536}, new float[0]));
    }

    @Test
    void equalityComparesContents() {
        TensorData a = new TensorData(new int[] {2}, new float[] {Float.NaN, 0f});

        assertEquals(a, new TensorData(new int[] {2}, new float[] {Float.NaN, 0f}));
        assertEquals(a.hashCode(), new TensorData(new int[] {2}, new float[] {Float.NaN, 0f}).hashCode());
        assertNotEquals(a, new TensorData(new int[] {2}, new float[] {Float.NaN, -0f}));
        assertNotEquals(a, new TensorData(new int[] {2, 1}, new float[] {Float.NaN, 0f}));
    }
}
