package dev.ballast.corpora;

/**
 * The data side of training: an endless sequence of training batches with a cursor that can
 * be saved and set again, so that a rollback or a resumed run replays exactly the batches it would have seen.
 */
public interface Batches {

    /** Batches taken so far (the cursor a checkpoint saves). */
    long position();

    /** Moves the cursor so that the next batch taken is the one at {@code position}. */
    void seek(long position);

    /** The pass over the data the next batch belongs to, from 0. */
    int epoch();

    /** Whether the next batch starts a new pass (the carried state is reset there). */
    boolean epochStartsNext();

    /** Batches in one pass over the training data. */
    int windowsPerEpoch();

    /** Predictions scored per batch (tokens, or forecast values), for throughput. */
    long predictionsPerBatch();

    /** Time steps of one window (the BPTT length or the look-back): how far back a gradient can reach. */
    int window();

    /** The ranges [from, to) of the training data that the batch at {@code position} reads, for incident reports. */
    long[][] sourceRanges(long position);
}
