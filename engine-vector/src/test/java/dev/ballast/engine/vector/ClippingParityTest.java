package dev.ballast.engine.vector;

import dev.ballast.engine.nn.Parameter;
import dev.ballast.engine.optim.ClipResult;
import dev.ballast.engine.optim.GlobalNormClipper;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clipping measured on the vector kernels' threads. */
class ClippingParityTest {

    @Test
    void aGlobalNormHandedOverGivesTheSameClipAsMeasuringAgain() {
        // The trainer hands the stability monitor's norm to the clipper; it must be exactly the clipper's own.
        Kernels kernels = new VectorKernels(2);
        Rng rng = new Rng(3);
        List<Parameter> a = new ArrayList<>();
        List<Parameter> b = new ArrayList<>();
        for (int size : new int[] {7, 100_003, 70_000}) {
            Parameter p = new Parameter("p" + size, Parameter.Kind.INPUT_WEIGHT, size);
            Parameter q = new Parameter("p" + size, Parameter.Kind.INPUT_WEIGHT, size);
            for (int i = 0; i < size; i++) {
                p.grad()[i] = q.grad()[i] = (float) rng.nextGaussian();
            }
            a.add(p);
            b.add(q);
        }
        double total = 0;
        for (Parameter p : b) {
            total += kernels.sumOfSquares(p.grad());
        }
        GlobalNormClipper measuring = new GlobalNormClipper(5.0);
        GlobalNormClipper told = new GlobalNormClipper(5.0);
        measuring.setKernels(kernels);
        told.setKernels(kernels);
        ClipResult ra = measuring.clip(a);
        ClipResult rb = told.clip(b, Math.sqrt(total));
        assertEquals(ra, rb);
        assertTrue(ra.clipped());
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k).grad(), b.get(k).grad());
        }
    }
}
