package dev.ballast.lm.stress;

import dev.ballast.engine.Rng;

/**
 * The long-range tasks of Hochreiter &amp; Schmidhuber 1997 that Pascanu, Mikolov &amp; Bengio 2013 (§5.1) use
 * to probe exploding and vanishing gradients, written as character streams so a language model trains on
 * them. The answer after {@code =} depends only on two marked symbols far back in the line, so a model
 * that predicts it must carry information across most of the window.
 */
public final class SyntheticTasks {

    private SyntheticTasks() {
    }

    /**
     * Addition problem: {@code length} random digits, two of them marked (written as the letters a-j for
     * 0-9), the first in the first tenth of the line and the second in its first half; then {@code =} and
     * the sum of the two marked digits, two characters. E.g. {@code 31a9...4c7...=02}.
     */
    public static String addition(int lines, int length, long seed) {
        Rng rng = new Rng(seed);
        StringBuilder sb = new StringBuilder(lines * (length + 4));
        char[] line = new char[length];
        for (int n = 0; n < lines; n++) {
            for (int i = 0; i < length; i++) {
                line[i] = (char) ('0' + rng.nextInt(10));
            }
            int first = rng.nextInt(Math.max(1, length / 10));
            int second = length / 10 + rng.nextInt(Math.max(1, length / 2 - length / 10));
            int sum = (line[first] - '0') + (line[second] - '0');
            line[first] = (char) ('a' + line[first] - '0');
            line[second] = (char) ('a' + line[second] - '0');
            sb.append(line).append('=').append(sum / 10).append(sum % 10).append('\n');
        }
        return sb.toString();
    }

    /**
     * Temporal order: {@code length} random symbols from {@code cdef}, with X or Y at one position in
     * [10%, 20%) of the line and another in [50%, 60%); then {@code =} and the order class
     * (XX → A, XY → B, YX → C, YY → D).
     */
    public static String temporalOrder(int lines, int length, long seed) {
        Rng rng = new Rng(seed);
        StringBuilder sb = new StringBuilder(lines * (length + 3));
        char[] line = new char[length];
        int tenth = Math.max(1, length / 10);
        for (int n = 0; n < lines; n++) {
            for (int i = 0; i < length; i++) {
                line[i] = "cdef".charAt(rng.nextInt(4));
            }
            boolean a = rng.nextInt(2) == 1;
            boolean b = rng.nextInt(2) == 1;
            line[tenth + rng.nextInt(tenth)] = a ? 'Y' : 'X';
            line[5 * tenth + rng.nextInt(tenth)] = b ? 'Y' : 'X';
            sb.append(line).append('=').append((char) ('A' + (a ? 2 : 0) + (b ? 1 : 0))).append('\n');
        }
        return sb.toString();
    }
}
