package dev.ballast.lm.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.corpora.Batches;
import dev.ballast.engine.Rng;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.TokenWindowTask;
import dev.ballast.training.Validation;

import java.nio.file.Path;

/**
 * A language model fed random token ids, for timing the trainer's step: the arithmetic of a window does
 * not depend on which tokens it holds. It never validates or saves (the benchmark only calls
 * {@link dev.ballast.training.Trainer#steps}).
 */
final class BenchTask extends TokenWindowTask {

    private final BenchConfig config;
    private final Rng tokens = new Rng(1);
    private final Cursor cursor = new Cursor();

    BenchTask(BenchConfig config, LanguageModel model) {
        super(model, config.seq(), config.batch());
        this.config = config;
    }

    /** An endless stream of random batches; the position only counts them. */
    private final class Cursor implements Batches {
        private long position;

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long p) {
            position = p;
        }

        @Override
        public int epoch() {
            return 0;
        }

        @Override
        public boolean epochStartsNext() {
            return position == 0;
        }

        @Override
        public int windowsPerEpoch() {
            return Integer.MAX_VALUE;
        }

        @Override
        public long predictionsPerBatch() {
            return (long) config.seq() * config.batch();
        }

        @Override
        public int window() {
            return config.seq();
        }

        @Override
        public long[][] sourceRanges(long p) {
            return new long[0][];
        }
    }

    @Override
    public String kind() {
        return "benchmark language model";
    }

    @Override
    public Batches batches() {
        return cursor;
    }

    @Override
    public void nextBatch() {
        for (int i = 0; i < x.length; i++) {
            x[i] = tokens.nextInt(config.vocab());
            y[i] = tokens.nextInt(config.vocab());
        }
        cursor.position++;
    }

    @Override
    public float[][] reachBack(long step, Runnable afterForward) {
        throw new UnsupportedOperationException("the benchmark runs without diagnostics");
    }

    @Override
    public Validation validate() {
        throw new UnsupportedOperationException("the benchmark does not validate");
    }

    @Override
    public String sample(long step) {
        return null;
    }

    @Override
    public void saveModel(Path dir, ObjectNode metrics) {
        throw new UnsupportedOperationException("the benchmark does not save");
    }

}
