package dev.ballast.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Map;

/**
 * One kind of Ballast model as {@link RecurrentGraph} exports it. The graph writes what every kind
 * shares: the state inputs and outputs, the recurrent layers, the linear head, the model settings and the
 * metadata every file carries. The kind adds its two ends and its own metadata:
 * <pre>
 *   first input  -- input part -->  layers  -->  head  -- output part -->  first output
 *   (tokens: Gather from the embedding; encoded rows: as they are)   (LogSoftmax; nothing)
 * </pre>
 * The graph calls {@link #inputPart}, then {@link #head}, then {@link #outputPart}, once each.
 */
interface ExportedModel {

    /** The linear head (H, O) + (O); {@code values} names its output (S, B, O). */
    record Head(ONNXRef<?> weight, ONNXRef<?> bias, String values) {
    }

    /**
     * How the file names and describes itself.
     *
     * @param graphName     e.g. {@code ballast_lstm_lm}
     * @param graphDoc      what goes in and what comes out
     * @param formatVersion the {@code ballast.format_version}, also the model's {@code model_version}
     */
    record Description(String graphName, String graphDoc, String modelDoc, String format, int formatVersion) {
    }

    Description description();

    /** The recurrent layers and their weights. */
    RecurrentStack.Spec stack();

    /** The graph's first input, before the states. */
    GraphTensor firstInput();

    /** The graph's first output, before the states. */
    GraphTensor firstOutput();

    /** What the signature says to pass as the initial states, or null. */
    String initialStateNote();

    /** The signature's {@code layout} line: how the axes and the states are meant to be used. */
    String layout();

    /** The input part: from the first input to the first layer's input (S, B, I). */
    ONNXRef<?> inputPart(ONNXContext ctx, ONNXPlaceholder input);

    /** The head's weight and bias. */
    Head head(ONNXContext ctx);

    /** The output part: from the head's values (S, B, O) to what the first output holds. */
    ONNXRef<?> outputPart(ONNXContext ctx, ONNXNode head);

    /** The kind's own metadata; the graph adds format, version, provenance and signature. */
    Map<String, String> metadata();

    /** The provenance the model was saved with (the graph adds the export block), or an empty object. */
    ObjectNode provenance();
}
