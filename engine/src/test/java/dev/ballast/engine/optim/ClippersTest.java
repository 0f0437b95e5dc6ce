package dev.ballast.engine.optim;

import dev.ballast.engine.InputException;

import dev.ballast.engine.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clippers on two gradients a = (3, 4) and b = (0, 12): |a| = 5, |b| = 12, global norm sqrt(25 + 144) = 13.
 */
class ClippersTest {

    static List<Parameter> grads(float[] a, float[] b) {
        Parameter pa = new Parameter("a", Parameter.Kind.INPUT_WEIGHT, a.length);
        Parameter pb = new Parameter("b", Parameter.Kind.BIAS, b.length);
        System.arraycopy(a, 0, pa.grad(), 0, a.length);
        System.arraycopy(b, 0, pb.grad(), 0, b.length);
        return List.of(pa, pb);
    }

    static List<Parameter> standard() {
        return grads(new float[] {3, 4}, new float[] {0, 12});
    }

    static void assertGrad(double[] expected, Parameter p) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], p.grad()[i], 1e-6, p.name() + "[" + i + "]");
        }
    }

    @Test
    void clipsToGlobalNorm() {
        List<Parameter> params = standard();
        ClipResult r = new GlobalNormClipper(6.5).clip(params);
        double coef = 6.5 / (13 + 1e-6);  // torch.nn.utils.clip_grad_norm_, just under 0.5
        assertGrad(new double[] {3 * coef, 4 * coef}, params.get(0));
        assertGrad(new double[] {0, 12 * coef}, params.get(1));
        assertEquals(13.0, r.normBefore(), 0.0);
        assertEquals(13 * coef, r.normAfter(), 1e-5);
        assertTrue(r.normAfter() < 6.5);
        assertTrue(r.clipped());
    }

    @Test
    void globalNormBelowThresholdIsUntouched() {
        List<Parameter> params = standard();
        ClipResult r = new GlobalNormClipper(20).clip(params);
        assertArrayEquals(new float[] {3, 4}, params.get(0).grad());
        assertArrayEquals(new float[] {0, 12}, params.get(1).grad());
        assertEquals(new ClipResult(13, 13, false), r);
    }

    @Test
    void clipsEachTensorToItsOwnNorm() {
        List<Parameter> params = standard();
        ClipResult r = new TensorNormClipper(6).clip(params);
        assertArrayEquals(new float[] {3, 4}, params.get(0).grad());   // |a| = 5 <= 6: left alone
        double coef = 6 / (12 + 1e-6);
        assertGrad(new double[] {0, 12 * coef}, params.get(1));
        assertEquals(13.0, r.normBefore(), 0.0);
        assertEquals(Math.sqrt(25 + 144 * coef * coef), r.normAfter(), 1e-5);
        assertTrue(r.clipped());
    }

    @Test
    void tensorNormBelowThresholdIsUntouched() {
        List<Parameter> params = standard();
        assertEquals(new ClipResult(13, 13, false), new TensorNormClipper(12.5).clip(params));
        assertArrayEquals(new float[] {0, 12}, params.get(1).grad());
    }

    @Test
    void clampsEachValue() {
        List<Parameter> params = grads(new float[] {3, -4}, new float[] {0, 12});
        ClipResult r = new ValueClipper(3.5).clip(params);
        assertArrayEquals(new float[] {3, -3.5f}, params.get(0).grad());
        assertArrayEquals(new float[] {0, 3.5f}, params.get(1).grad());
        assertEquals(13.0, r.normBefore(), 0.0);
        assertEquals(Math.sqrt(9 + 3.5 * 3.5 * 2), r.normAfter(), 1e-9);
        assertTrue(r.clipped());
    }

    @Test
    void valuesInsideRangeAreUntouched() {
        List<Parameter> params = standard();
        assertEquals(new ClipResult(13, 13, false), new ValueClipper(12).clip(params));
        assertArrayEquals(new float[] {0, 12}, params.get(1).grad());
    }

    @Test
    void noClipperReportsNormOnly() {
        List<Parameter> params = standard();
        assertEquals(new ClipResult(13, 13, false), new NoClipper().clip(params));
        assertArrayEquals(new float[] {3, 4}, params.get(0).grad());
    }

    @Test
    void normIsAccumulatedInDouble() {
        // 3e38² overflows float but not double: the norm must stay finite (sqrt(2) * 3e38).
        List<Parameter> params = grads(new float[] {3e38f}, new float[] {3e38f});
        ClipResult r = new GlobalNormClipper(1).clip(params);
        assertEquals(Math.sqrt(2) * 3e38f, r.normBefore(), 1e32);
        assertTrue(r.clipped());
        assertEquals(1.0, r.normAfter(), 1e-5);
    }

    @Test
    void nonFiniteNormLeavesGradientsUntouched() {
        for (GradientClipper clipper : List.of(new GlobalNormClipper(1), new TensorNormClipper(1),
                new ValueClipper(1), new NoClipper())) {
            List<Parameter> nan = grads(new float[] {3, Float.NaN}, new float[] {0, 12});
            ClipResult r = clipper.clip(nan);
            assertTrue(Double.isNaN(r.normBefore()), clipper.describe());
            assertFalse(r.clipped(), clipper.describe());
            assertArrayEquals(new float[] {0, 12}, nan.get(1).grad(), clipper.describe());
            assertEquals(3f, nan.get(0).grad()[0], clipper.describe());

            List<Parameter> inf = grads(new float[] {3, 4}, new float[] {Float.NEGATIVE_INFINITY, 12});
            r = clipper.clip(inf);
            assertEquals(Double.POSITIVE_INFINITY, r.normBefore(), clipper.describe());
            assertFalse(r.clipped(), clipper.describe());
            assertArrayEquals(new float[] {3, 4}, inf.get(0).grad(), clipper.describe());
            assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 12}, inf.get(1).grad(), clipper.describe());
        }
    }

    @Test
    void createsEachModeWithItsThreshold() {
        GradientClipper g = Clippers.create(ClipMode.GLOBAL_NORM, 5, 0);
        assertInstanceOf(GlobalNormClipper.class, g);
        assertEquals(5, ((GlobalNormClipper) g).maxNorm());
        assertEquals(5, ((TensorNormClipper) Clippers.create(ClipMode.TENSOR_NORM, 5, 0)).maxNorm());
        assertEquals(0.25, ((ValueClipper) Clippers.create(ClipMode.VALUE, 0, 0.25)).maxValue());
        assertInstanceOf(NoClipper.class, Clippers.create(ClipMode.NONE, 0, 0));
        assertEquals("global-norm(max=5.0)", g.describe());
    }

    @Test
    void rejectsNonPositiveThresholdNamingTheFlag() {
        assertEquals("clip_norm must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> Clippers.create(ClipMode.GLOBAL_NORM, 0, 1)).getMessage());
        assertEquals("clip_norm must be > 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Clippers.create(ClipMode.TENSOR_NORM, -1, 1)).getMessage());
        assertEquals("clip_value must be > 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> Clippers.create(ClipMode.VALUE, 1, Double.NaN)).getMessage());
    }

    @Test
    void unknownModeListsChoices() {
        InputException e = assertThrows(InputException.class, () -> ClipMode.parse("norm"));
        assertEquals("clip must be one of global-norm, layer-norm, tensor-norm, value, auto, agc, none, got 'norm'",
                e.getMessage());
        assertEquals("clip", e.field());
        for (ClipMode m : ClipMode.values()) {
            assertEquals(m, ClipMode.parse(m.id().toUpperCase(java.util.Locale.ROOT)));
        }
    }
}
