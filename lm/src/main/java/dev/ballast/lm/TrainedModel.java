package dev.ballast.lm;

import dev.ballast.training.model.Provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.tokenizer.Tokenizer;

/**
 * A language model with everything needed to use it without the corpus: its tokenizer (and so its
 * vocabulary), the configuration it was trained with, its provenance, and its last metrics.
 *
 * @param training the training configuration, or null for a model that was not trained here
 * @param metrics  free-form metrics of the checkpoint (step, val_loss, ...), never null
 */
public record TrainedModel(LanguageModel network, Tokenizer tokenizer, TrainingConfig training,
                           Provenance provenance, ObjectNode metrics) {
}
