package dev.ballast.engine.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded, cache-blocked, register-blocked gemm on the Vector API: the engine behind
 * {@link VectorKernels#gemm}. {@code C = (accumulate ? C : 0) + op(A) op(B)}, row-major.
 *
 * <p>Blocking (Goto / BLIS scheme): C is produced in {@code MR x NR} micro-tiles. With 256-bit
 * vectors (AVX2, 16 registers) MR = 6 rows by NR = two vectors: 12 accumulators, and for each p
 * two B loads and six broadcasts. With 512-bit vectors (32 registers) MR = 8 by NR = three
 * vectors: 24 accumulators, 3 loads and 8 broadcasts per 24 FMAs. To make those loads contiguous whatever the transposes, the operands
 * are packed first: a KC x NC block of op(B) into NR-wide column panels ({@code p * NR + j}) and
 * an MC x KC block of op(A) into MR-high row panels ({@code p * MR + i}), both zero-padded, so
 * one micro-kernel serves NN, NT, TN and TT. KC bounds a B micro-panel so it stays in L1 while
 * it is reused by every row panel of the A block, and MC bounds the A block to L2.
 *
 * <p>Summation order: every element of C is {@code c = fma(a_p, b_p, c)} for p = 0, 1, .., k-1
 * in that order, starting from 0 (overwrite) or from the old C (accumulate). Between K blocks the
 * partial sums go through C exactly, and edge tiles run the same micro-kernel on a scratch tile,
 * so the result of an element depends neither on the blocking nor on which rows or columns a
 * thread was given. That is what makes multi-threaded results bit-identical to single-threaded.
 *
 * <p>Products with m &lt;= {@link #ROW_KERNEL_MAX_M} (generation, batch 1) and B not transposed skip
 * the packing and use {@link RowKernel}, which vectorizes along n with the same per-element order.
 *
 * <p>Buffers: one packed-A, one packed-B and one scratch tile per thread (thread-local, about
 * 2 MB with 512-bit vectors), allocated on a thread's first call and reused after.
 */
final class PackedGemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Micro-tile rows: 6 x 2 vectors (12 accumulators) fits AVX2's 16 registers; AVX-512 has 32,
     * where 8 x 3 vectors (24 accumulators, 3 B loads, 1 broadcast) measured best of 6x2, 12x2
     * and 8x3 on a Zen4 EPYC (e.g. 2048x10000x512: 78 -> 95 GFLOP/s on one thread).
     */
    static final int MR = L >= 16 ? 8 : 6;
    /** Micro-tile columns: 3 vectors with 512-bit vectors, 2 otherwise. */
    static final int NR = (L >= 16 ? 3 : 2) * L;
    static final int KC = 256;
    static final int MC = 16 * MR;
    /** About 2048 columns, rounded up to whole NR panels so that n = 2048 (4H at H = 512) is one block. */
    static final int NC = (2048 + NR - 1) / NR * NR;
    /**
     * Where a column split may cut op(B): any whole vector with the 8-row kernels, which have one-
     * and two-vector variants for the rest of a panel (a 512-wide product splits 256/256 instead of
     * 5 panels against 5 2/3); whole panels with the 6-row kernels, which have none.
     */
    static final int SPLIT_ALIGN = MR == 8 ? L : NR;
    /** Up to this many rows the one-row kernel (no packing) beats the padded 6-row tiles. */
    static final int ROW_KERNEL_MAX_M = 2;

    /** Per-thread packing buffers, sized once for the largest block. */
    private static final class Workspace {
        final float[] packedA = new float[MC * KC];
        final float[] packedB = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private PackedGemm() {
    }

    /** One operand as stored: element (r, c) of op(X) is {@code x[off + r*rowStride + c*colStride]}. */
    record Operand(float[] data, int off, int rowStride, int colStride) {
        static Operand of(float[] data, int off, int ld, boolean trans) {
            return trans ? new Operand(data, off, 1, ld) : new Operand(data, off, ld, 1);
        }

        float get(int r, int c) {
            return data[off + r * rowStride + c * colStride];
        }

        /** The sub-operand starting at row r, column c of op(X). */
        Operand shift(int r, int c) {
            return new Operand(data, off + r * rowStride + c * colStride, rowStride, colStride);
        }
    }

    /** C (m, n) from off with ld = ldc; {@code accumulate} false overwrites C, ignoring NaN. */
    static void multiply(int m, int n, int k, Operand a, Operand b,
                         boolean accumulate, float[] c, int cOff, int ldc) {
        if (m <= ROW_KERNEL_MAX_M && b.colStride() == 1) {
            for (int i = 0; i < m; i++) {
                RowKernel.row(n, k, a.shift(i, 0), b, accumulate, c, cOff + i * ldc);
            }
            return;
        }
        Workspace ws = WORKSPACE.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean overwrite = pc == 0 && !accumulate;
                packB(b.shift(pc, jc), kc, nc, ws.packedB, 0);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(a.shift(ic, pc), mc, kc, ws.packedA);
                    block(mc, 0, nc, kc, ws, ws.packedB, 0, overwrite, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /** Words of {@link #packAll}'s layout for op(B) (k, n). */
    static int packedSize(int k, int n) {
        return k * roundUp(n, NR);
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /**
     * Packs the whole op(B) (k, n) once, as the sequence of blocks {@link #multiply} would pack
     * one at a time: block (jc, pc) starts at {@code jc * k + roundUp(nc, NR) * pc}.
     */
    static void packAll(Operand b, int k, int n, float[] dst) {
        packAll(b, k, n, dst, 0, 1);
    }

    /**
     * Part {@code part} of {@code parts} of {@link #packAll(Operand, int, int, float[])}: the blocks
     * whose running number is {@code part} modulo {@code parts}, so that threads can share the packing.
     */
    static void packAll(Operand b, int k, int n, float[] dst, int part, int parts) {
        int block = 0;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC, block++) {
                if (block % parts == part) {
                    packB(b.shift(pc, jc), Math.min(KC, k - pc), nc, dst, jc * k + roundUp(nc, NR) * pc);
                }
            }
        }
    }

    /**
     * Columns [j0, j1) of C (m, n) from op(A) and a B packed by {@link #packAll}; j0 is a multiple
     * of NR and {@code cOff} is where column 0 of C starts. Same blocking and summation order as
     * {@link #multiply}, minus the packing of B.
     */
    static void multiplyPacked(int m, int j0, int j1, int k, Operand a, float[] packedB, int n,
                               boolean accumulate, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        for (int jc = j0 / NC * NC; jc < j1; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int lo = Math.max(j0, jc) - jc;
            int hi = Math.min(j1, jc + nc) - jc;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean overwrite = pc == 0 && !accumulate;
                int bBase = jc * k + roundUp(nc, NR) * pc;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(a.shift(ic, pc), mc, kc, ws.packedA);
                    block(mc, lo, hi, kc, ws, packedB, bBase, overwrite, c, cOff + ic * ldc + jc, ldc);
                }
            }
        }
    }

    /**
     * All micro-tiles of columns [jFrom, jTo) of one (mc, nc) block of C over one K block; B's
     * panels for the block start at {@code bBase} of {@code pb}, cOff is the block's column 0.
     */
    private static void block(int mc, int jFrom, int jTo, int kc, Workspace ws, float[] pb, int bBase,
                              boolean overwrite, float[] c, int cOff, int ldc) {
        // jFrom may start inside a panel (a column split at vector granularity, see SPLIT_ALIGN): the
        // first tile then reads the panel's rows from that vector on.
        for (int jr = jFrom; jr < jTo; ) {
            int panel = jr - jr % NR;
            int nr = Math.min(panel + NR, jTo) - jr;
            int bIdx = bBase + panel * kc + (jr - panel);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int aIdx = ir * kc;
                int cIdx = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    microKernel(kc, ws.packedA, aIdx, pb, bIdx, c, cIdx, ldc, overwrite);
                } else if (MR == 8 && mr == MR && nr == L) {
                    microKernel8x1(kc, ws.packedA, aIdx, pb, bIdx, c, cIdx, ldc, overwrite);
                } else if (MR == 8 && mr == MR && nr == 2 * L) {
                    microKernel8x2(kc, ws.packedA, aIdx, pb, bIdx, c, cIdx, ldc, overwrite);
                } else {
                    edgeTile(mr, nr, kc, ws, aIdx, pb, bIdx, c, cIdx, ldc, overwrite);
                }
            }
            jr += nr;
        }
    }

    /**
     * A partial tile: run a micro-kernel on a scratch tile, then copy the valid part. A panel at
     * most two vectors wide (the last one of n = 200 holds 8 columns of 48) runs a kernel that
     * computes only that many vectors of it, instead of the full three.
     */
    private static void edgeTile(int mr, int nr, int kc, Workspace ws, int aIdx, float[] pb, int bIdx,
                                 float[] c, int cIdx, int ldc, boolean overwrite) {
        float[] t = ws.tile;
        if (!overwrite) {
            for (int i = 0; i < mr; i++) {
                System.arraycopy(c, cIdx + i * ldc, t, i * NR, nr);
            }
        }
        if (MR == 8 && nr <= L) {
            microKernel8x1(kc, ws.packedA, aIdx, pb, bIdx, t, 0, NR, overwrite);
        } else if (MR == 8 && nr <= 2 * L) {
            microKernel8x2(kc, ws.packedA, aIdx, pb, bIdx, t, 0, NR, overwrite);
        } else {
            microKernel(kc, ws.packedA, aIdx, pb, bIdx, t, 0, NR, overwrite);
        }
        for (int i = 0; i < mr; i++) {
            System.arraycopy(t, i * NR, c, cIdx + i * ldc, nr);
        }
    }

    /** {@link #microKernel8x3} on the first vector of the panel only (B rows still NR apart). */
    private static void microKernel8x1(int kc, float[] a, int aIdx, float[] b, int bIdx,
                                       float[] c, int cIdx, int ldc, boolean overwrite) {
        FloatVector z = FloatVector.zero(S);
        FloatVector r0 = overwrite ? z : FloatVector.fromArray(S, c, cIdx);
        FloatVector r1 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + ldc);
        FloatVector r2 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + 2 * ldc);
        FloatVector r3 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + 3 * ldc);
        FloatVector r4 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + 4 * ldc);
        FloatVector r5 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + 5 * ldc);
        FloatVector r6 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + 6 * ldc);
        FloatVector r7 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + 7 * ldc);
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bIdx + p * NR);
            r0 = FloatVector.broadcast(S, a[ai]).fma(b0, r0);
            r1 = FloatVector.broadcast(S, a[ai + 1]).fma(b0, r1);
            r2 = FloatVector.broadcast(S, a[ai + 2]).fma(b0, r2);
            r3 = FloatVector.broadcast(S, a[ai + 3]).fma(b0, r3);
            r4 = FloatVector.broadcast(S, a[ai + 4]).fma(b0, r4);
            r5 = FloatVector.broadcast(S, a[ai + 5]).fma(b0, r5);
            r6 = FloatVector.broadcast(S, a[ai + 6]).fma(b0, r6);
            r7 = FloatVector.broadcast(S, a[ai + 7]).fma(b0, r7);
        }
        r0.intoArray(c, cIdx);
        r1.intoArray(c, cIdx + ldc);
        r2.intoArray(c, cIdx + 2 * ldc);
        r3.intoArray(c, cIdx + 3 * ldc);
        r4.intoArray(c, cIdx + 4 * ldc);
        r5.intoArray(c, cIdx + 5 * ldc);
        r6.intoArray(c, cIdx + 6 * ldc);
        r7.intoArray(c, cIdx + 7 * ldc);
    }

    /** {@link #microKernel8x3} on the first two vectors of the panel only. */
    private static void microKernel8x2(int kc, float[] a, int aIdx, float[] b, int bIdx,
                                       float[] c, int cIdx, int ldc, boolean overwrite) {
        int c1 = cIdx + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        int c6 = c5 + ldc;
        int c7 = c6 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector r0_0 = overwrite ? z : FloatVector.fromArray(S, c, cIdx);
        FloatVector r0_1 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + L);
        FloatVector r1_0 = overwrite ? z : FloatVector.fromArray(S, c, c1);
        FloatVector r1_1 = overwrite ? z : FloatVector.fromArray(S, c, c1 + L);
        FloatVector r2_0 = overwrite ? z : FloatVector.fromArray(S, c, c2);
        FloatVector r2_1 = overwrite ? z : FloatVector.fromArray(S, c, c2 + L);
        FloatVector r3_0 = overwrite ? z : FloatVector.fromArray(S, c, c3);
        FloatVector r3_1 = overwrite ? z : FloatVector.fromArray(S, c, c3 + L);
        FloatVector r4_0 = overwrite ? z : FloatVector.fromArray(S, c, c4);
        FloatVector r4_1 = overwrite ? z : FloatVector.fromArray(S, c, c4 + L);
        FloatVector r5_0 = overwrite ? z : FloatVector.fromArray(S, c, c5);
        FloatVector r5_1 = overwrite ? z : FloatVector.fromArray(S, c, c5 + L);
        FloatVector r6_0 = overwrite ? z : FloatVector.fromArray(S, c, c6);
        FloatVector r6_1 = overwrite ? z : FloatVector.fromArray(S, c, c6 + L);
        FloatVector r7_0 = overwrite ? z : FloatVector.fromArray(S, c, c7);
        FloatVector r7_1 = overwrite ? z : FloatVector.fromArray(S, c, c7 + L);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            r0_0 = a0.fma(b0, r0_0);
            r0_1 = a0.fma(b1, r0_1);
            a0 = FloatVector.broadcast(S, a[ai + 1]);
            r1_0 = a0.fma(b0, r1_0);
            r1_1 = a0.fma(b1, r1_1);
            a0 = FloatVector.broadcast(S, a[ai + 2]);
            r2_0 = a0.fma(b0, r2_0);
            r2_1 = a0.fma(b1, r2_1);
            a0 = FloatVector.broadcast(S, a[ai + 3]);
            r3_0 = a0.fma(b0, r3_0);
            r3_1 = a0.fma(b1, r3_1);
            a0 = FloatVector.broadcast(S, a[ai + 4]);
            r4_0 = a0.fma(b0, r4_0);
            r4_1 = a0.fma(b1, r4_1);
            a0 = FloatVector.broadcast(S, a[ai + 5]);
            r5_0 = a0.fma(b0, r5_0);
            r5_1 = a0.fma(b1, r5_1);
            a0 = FloatVector.broadcast(S, a[ai + 6]);
            r6_0 = a0.fma(b0, r6_0);
            r6_1 = a0.fma(b1, r6_1);
            a0 = FloatVector.broadcast(S, a[ai + 7]);
            r7_0 = a0.fma(b0, r7_0);
            r7_1 = a0.fma(b1, r7_1);
        }
        r0_0.intoArray(c, cIdx);
        r0_1.intoArray(c, cIdx + L);
        r1_0.intoArray(c, c1);
        r1_1.intoArray(c, c1 + L);
        r2_0.intoArray(c, c2);
        r2_1.intoArray(c, c2 + L);
        r3_0.intoArray(c, c3);
        r3_1.intoArray(c, c3 + L);
        r4_0.intoArray(c, c4);
        r4_1.intoArray(c, c4 + L);
        r5_0.intoArray(c, c5);
        r5_1.intoArray(c, c5 + L);
        r6_0.intoArray(c, c6);
        r6_1.intoArray(c, c6 + L);
        r7_0.intoArray(c, c7);
        r7_1.intoArray(c, c7 + L);
    }

    /**
     * The MR x NR register tile: {@code C[i][j] (+)= sum_p A[p*MR + i] * B[p*NR + j]}, packed A
     * and B. Written out by hand per tile shape because the accumulators must be locals to live in
     * registers; MR is a constant, so the JIT keeps only one branch.
     */
    private static void microKernel(int kc, float[] a, int aIdx, float[] b, int bIdx,
                                    float[] c, int cIdx, int ldc, boolean overwrite) {
        if (MR == 8) {
            microKernel8x3(kc, a, aIdx, b, bIdx, c, cIdx, ldc, overwrite);
        } else {
            microKernel6x2(kc, a, aIdx, b, bIdx, c, cIdx, ldc, overwrite);
        }
    }

    private static void microKernel6x2(int kc, float[] a, int aIdx, float[] b, int bIdx,
                                    float[] c, int cIdx, int ldc, boolean overwrite) {
        int c1 = cIdx + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector r0_0 = overwrite ? z : FloatVector.fromArray(S, c, cIdx);
        FloatVector r0_1 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + L);
        FloatVector r1_0 = overwrite ? z : FloatVector.fromArray(S, c, c1);
        FloatVector r1_1 = overwrite ? z : FloatVector.fromArray(S, c, c1 + L);
        FloatVector r2_0 = overwrite ? z : FloatVector.fromArray(S, c, c2);
        FloatVector r2_1 = overwrite ? z : FloatVector.fromArray(S, c, c2 + L);
        FloatVector r3_0 = overwrite ? z : FloatVector.fromArray(S, c, c3);
        FloatVector r3_1 = overwrite ? z : FloatVector.fromArray(S, c, c3 + L);
        FloatVector r4_0 = overwrite ? z : FloatVector.fromArray(S, c, c4);
        FloatVector r4_1 = overwrite ? z : FloatVector.fromArray(S, c, c4 + L);
        FloatVector r5_0 = overwrite ? z : FloatVector.fromArray(S, c, c5);
        FloatVector r5_1 = overwrite ? z : FloatVector.fromArray(S, c, c5 + L);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            r0_0 = a0.fma(b0, r0_0);
            r0_1 = a0.fma(b1, r0_1);
            a0 = FloatVector.broadcast(S, a[ai + 1]);
            r1_0 = a0.fma(b0, r1_0);
            r1_1 = a0.fma(b1, r1_1);
            a0 = FloatVector.broadcast(S, a[ai + 2]);
            r2_0 = a0.fma(b0, r2_0);
            r2_1 = a0.fma(b1, r2_1);
            a0 = FloatVector.broadcast(S, a[ai + 3]);
            r3_0 = a0.fma(b0, r3_0);
            r3_1 = a0.fma(b1, r3_1);
            a0 = FloatVector.broadcast(S, a[ai + 4]);
            r4_0 = a0.fma(b0, r4_0);
            r4_1 = a0.fma(b1, r4_1);
            a0 = FloatVector.broadcast(S, a[ai + 5]);
            r5_0 = a0.fma(b0, r5_0);
            r5_1 = a0.fma(b1, r5_1);
        }
        r0_0.intoArray(c, cIdx);
        r0_1.intoArray(c, cIdx + L);
        r1_0.intoArray(c, c1);
        r1_1.intoArray(c, c1 + L);
        r2_0.intoArray(c, c2);
        r2_1.intoArray(c, c2 + L);
        r3_0.intoArray(c, c3);
        r3_1.intoArray(c, c3 + L);
        r4_0.intoArray(c, c4);
        r4_1.intoArray(c, c4 + L);
        r5_0.intoArray(c, c5);
        r5_1.intoArray(c, c5 + L);
    }

    private static void microKernel8x3(int kc, float[] a, int aIdx, float[] b, int bIdx,
                                    float[] c, int cIdx, int ldc, boolean overwrite) {
        int c1 = cIdx + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        int c6 = c5 + ldc;
        int c7 = c6 + ldc;
        FloatVector z = FloatVector.zero(S);
        FloatVector r0_0 = overwrite ? z : FloatVector.fromArray(S, c, cIdx);
        FloatVector r0_1 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + L);
        FloatVector r0_2 = overwrite ? z : FloatVector.fromArray(S, c, cIdx + 2 * L);
        FloatVector r1_0 = overwrite ? z : FloatVector.fromArray(S, c, c1);
        FloatVector r1_1 = overwrite ? z : FloatVector.fromArray(S, c, c1 + L);
        FloatVector r1_2 = overwrite ? z : FloatVector.fromArray(S, c, c1 + 2 * L);
        FloatVector r2_0 = overwrite ? z : FloatVector.fromArray(S, c, c2);
        FloatVector r2_1 = overwrite ? z : FloatVector.fromArray(S, c, c2 + L);
        FloatVector r2_2 = overwrite ? z : FloatVector.fromArray(S, c, c2 + 2 * L);
        FloatVector r3_0 = overwrite ? z : FloatVector.fromArray(S, c, c3);
        FloatVector r3_1 = overwrite ? z : FloatVector.fromArray(S, c, c3 + L);
        FloatVector r3_2 = overwrite ? z : FloatVector.fromArray(S, c, c3 + 2 * L);
        FloatVector r4_0 = overwrite ? z : FloatVector.fromArray(S, c, c4);
        FloatVector r4_1 = overwrite ? z : FloatVector.fromArray(S, c, c4 + L);
        FloatVector r4_2 = overwrite ? z : FloatVector.fromArray(S, c, c4 + 2 * L);
        FloatVector r5_0 = overwrite ? z : FloatVector.fromArray(S, c, c5);
        FloatVector r5_1 = overwrite ? z : FloatVector.fromArray(S, c, c5 + L);
        FloatVector r5_2 = overwrite ? z : FloatVector.fromArray(S, c, c5 + 2 * L);
        FloatVector r6_0 = overwrite ? z : FloatVector.fromArray(S, c, c6);
        FloatVector r6_1 = overwrite ? z : FloatVector.fromArray(S, c, c6 + L);
        FloatVector r6_2 = overwrite ? z : FloatVector.fromArray(S, c, c6 + 2 * L);
        FloatVector r7_0 = overwrite ? z : FloatVector.fromArray(S, c, c7);
        FloatVector r7_1 = overwrite ? z : FloatVector.fromArray(S, c, c7 + L);
        FloatVector r7_2 = overwrite ? z : FloatVector.fromArray(S, c, c7 + 2 * L);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            r0_0 = a0.fma(b0, r0_0);
            r0_1 = a0.fma(b1, r0_1);
            r0_2 = a0.fma(b2, r0_2);
            a0 = FloatVector.broadcast(S, a[ai + 1]);
            r1_0 = a0.fma(b0, r1_0);
            r1_1 = a0.fma(b1, r1_1);
            r1_2 = a0.fma(b2, r1_2);
            a0 = FloatVector.broadcast(S, a[ai + 2]);
            r2_0 = a0.fma(b0, r2_0);
            r2_1 = a0.fma(b1, r2_1);
            r2_2 = a0.fma(b2, r2_2);
            a0 = FloatVector.broadcast(S, a[ai + 3]);
            r3_0 = a0.fma(b0, r3_0);
            r3_1 = a0.fma(b1, r3_1);
            r3_2 = a0.fma(b2, r3_2);
            a0 = FloatVector.broadcast(S, a[ai + 4]);
            r4_0 = a0.fma(b0, r4_0);
            r4_1 = a0.fma(b1, r4_1);
            r4_2 = a0.fma(b2, r4_2);
            a0 = FloatVector.broadcast(S, a[ai + 5]);
            r5_0 = a0.fma(b0, r5_0);
            r5_1 = a0.fma(b1, r5_1);
            r5_2 = a0.fma(b2, r5_2);
            a0 = FloatVector.broadcast(S, a[ai + 6]);
            r6_0 = a0.fma(b0, r6_0);
            r6_1 = a0.fma(b1, r6_1);
            r6_2 = a0.fma(b2, r6_2);
            a0 = FloatVector.broadcast(S, a[ai + 7]);
            r7_0 = a0.fma(b0, r7_0);
            r7_1 = a0.fma(b1, r7_1);
            r7_2 = a0.fma(b2, r7_2);
        }
        r0_0.intoArray(c, cIdx);
        r0_1.intoArray(c, cIdx + L);
        r0_2.intoArray(c, cIdx + 2 * L);
        r1_0.intoArray(c, c1);
        r1_1.intoArray(c, c1 + L);
        r1_2.intoArray(c, c1 + 2 * L);
        r2_0.intoArray(c, c2);
        r2_1.intoArray(c, c2 + L);
        r2_2.intoArray(c, c2 + 2 * L);
        r3_0.intoArray(c, c3);
        r3_1.intoArray(c, c3 + L);
        r3_2.intoArray(c, c3 + 2 * L);
        r4_0.intoArray(c, c4);
        r4_1.intoArray(c, c4 + L);
        r4_2.intoArray(c, c4 + 2 * L);
        r5_0.intoArray(c, c5);
        r5_1.intoArray(c, c5 + L);
        r5_2.intoArray(c, c5 + 2 * L);
        r6_0.intoArray(c, c6);
        r6_1.intoArray(c, c6 + L);
        r6_2.intoArray(c, c6 + 2 * L);
        r7_0.intoArray(c, c7);
        r7_1.intoArray(c, c7 + L);
        r7_2.intoArray(c, c7 + 2 * L);
    }

    /** Packs op(A) (mc, kc) into MR-row panels: panel q holds {@code [p*MR + i]}, zero-padded. */
    private static void packA(Operand a, int mc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc;
            int mr = Math.min(MR, mc - ir);
            if (a.colStride() == 1) {
                // A stored (m, k): each row is contiguous along p.
                for (int i = 0; i < mr; i++) {
                    int src = a.off() + (ir + i) * a.rowStride();
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + i] = a.data()[src + p];
                    }
                }
            } else {
                // A stored (k, m): the MR values of one p are contiguous.
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(a.data(), a.off() + p * a.colStride() + ir, dst, base + p * MR, mr);
                }
            }
            if (mr < MR) {
                for (int p = 0; p < kc; p++) {
                    java.util.Arrays.fill(dst, base + p * MR + mr, base + (p + 1) * MR, 0f);
                }
            }
        }
    }

    /** Packs op(B) (kc, nc) into NR-column panels: panel q holds {@code [p*NR + j]}, zero-padded. */
    private static void packB(Operand b, int kc, int nc, float[] dst, int dstOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int base = dstOff + jr * kc;
            int nr = Math.min(NR, nc - jr);
            if (b.colStride() == 1) {
                // B stored (k, n): a panel row is a contiguous slice of a B row.
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b.data(), b.off() + p * b.rowStride() + jr, dst, base + p * NR, nr);
                }
            } else {
                // B stored (n, k): each column of op(B) is contiguous along p.
                for (int j = 0; j < nr; j++) {
                    int src = b.off() + (jr + j) * b.colStride();
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * NR + j] = b.data()[src + p];
                    }
                }
            }
            if (nr < NR) {
                for (int p = 0; p < kc; p++) {
                    java.util.Arrays.fill(dst, base + p * NR + nr, base + (p + 1) * NR, 0f);
                }
            }
        }
    }
}
