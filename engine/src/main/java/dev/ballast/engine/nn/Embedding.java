package dev.ballast.engine.nn;

/**
 * Token embedding: row {@code tokens[r]} of the (V, E) table becomes row r of the output.
 * The backward pass scatters the output gradient back into the rows it came from (a token that
 * occurs several times accumulates several rows).
 */
public final class Embedding {

    // weight: (V, E)
    private final Parameter weight;
    private final int vocab;
    private final int dim;

    public Embedding(int vocab, int dim) {
        this.weight = new Parameter("embedding.weight", Parameter.Kind.EMBEDDING, vocab, dim);
        this.vocab = vocab;
        this.dim = dim;
    }

    public Parameter weight() {
        return weight;
    }

    public int vocab() {
        return vocab;
    }

    public int dim() {
        return dim;
    }

    // tokens: (N), out: (N, E)
    /** Looks up the first {@code n} tokens into {@code out}. */
    public void forward(int[] tokens, int n, float[] out) {
        check(tokens, n);
        float[] w = weight.value();
        for (int r = 0; r < n; r++) {
            System.arraycopy(w, tokens[r] * dim, out, r * dim, dim);
        }
    }

    /** Throws unless each of the first {@code n} tokens is a row of the table. */
    public void check(int[] tokens, int n) {
        for (int r = 0; r < n; r++) {
            int tok = tokens[r];
            if (tok < 0 || tok >= vocab) {
                throw new IllegalArgumentException("token id " + tok + " at position " + r + " is outside [0, " + vocab + ")");
            }
        }
    }

    // tokens: (N), dOut: (N, E) -> accumulates into weight.grad (V, E)
    /** Accumulates the gradient of the output rows into the table rows they were read from. */
    public void backward(int[] tokens, int n, float[] dOut) {
        float[] g = weight.grad();
        for (int r = 0; r < n; r++) {
            int row = tokens[r] * dim;
            int src = r * dim;
            for (int j = 0; j < dim; j++) {
                g[row + j] += dOut[src + j];
            }
        }
    }
}
