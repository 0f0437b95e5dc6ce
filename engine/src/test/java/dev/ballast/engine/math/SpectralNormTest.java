package dev.ballast.engine.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpectralNormTest {

    @Test
    void scaledRotationHasItsScale() {
        // 3 * R(0.7): every singular value of a rotation is 1, so sigma_max = 3.
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        float[] a = {(float) (3 * c), (float) (-3 * s), (float) (3 * s), (float) (3 * c)};
        assertEquals(3.0, SpectralNorm.of(a, 0, 2, 2, 2, 50), 1e-5);
    }

    @Test
    void diagonalMatrixHasItsLargestAbsoluteEntry() {
        float[] a = {1, 0, 0, 0, -5, 0, 0, 0, 2};
        assertEquals(5.0, SpectralNorm.of(a, 0, 3, 3, 3, 50), 1e-5);
    }

    @Test
    void readsABlockOfAWiderMatrix() {
        // A (2, 4) row-major array holding [[9, 0 | 1, 0], [0, 9 | 0, 4]]: the right (2, 2) block is diag(1, 4).
        float[] a = {9, 0, 1, 0, 0, 9, 0, 4};
        assertEquals(4.0, SpectralNorm.of(a, 2, 2, 2, 4, 50), 1e-5);
        // The whole (2, 4) matrix: rows (9,0,1,0) and (0,9,0,4) are orthogonal, norms sqrt(82) and sqrt(97).
        assertEquals(Math.sqrt(97), SpectralNorm.of(a, 0, 2, 4, 4, 50), 1e-4);
    }
}
