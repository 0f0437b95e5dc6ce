package dev.ballast.export;

import ai.onnx.proto.OnnxMl;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXOperator;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ONNX operators the exporter needs that Tribuo's {@code ONNXOperators} does not define, declared
 * through Tribuo's {@link ONNXOperator} interface at opset {@value #OPSET} (Debian's python3-onnx 1.12
 * checks up to 17; ONNX Runtime 1.29 runs it).
 *
 * <p>{@link #LSTM} and {@link #RNN} are always built without {@code sequence_lens}: ONNX Runtime
 * zero-fills every step past a sequence's length, which would break state carried across calls. Their
 * {@code build} therefore takes the inputs without that slot and writes the empty name ONNX uses for an
 * omitted optional input in its place.
 *
 * <p>Attributes are written in name order whatever map they come in: Tribuo writes them in the map's
 * iteration order, and {@code Map.of} iterates in an order that changes from one JVM run to the next, which
 * would make two exports of the same model differ.
 */
public enum OnnxOps implements ONNXOperator {
    /** X, W, R, B, [sequence_lens = ""], initial_h, initial_c → Y, Y_h, Y_c. */
    LSTM("LSTM", 3, 4, 3, true,
            attr("hidden_size", OnnxMl.AttributeProto.AttributeType.INT, true),
            attr("layout", OnnxMl.AttributeProto.AttributeType.INT, false),
            attr("direction", OnnxMl.AttributeProto.AttributeType.STRING, false)),
    /** X, W, R, B, [sequence_lens = ""], initial_h → Y, Y_h. */
    RNN("RNN", 3, 3, 2, true,
            attr("hidden_size", OnnxMl.AttributeProto.AttributeType.INT, true),
            attr("activations", OnnxMl.AttributeProto.AttributeType.STRINGS, true),
            attr("layout", OnnxMl.AttributeProto.AttributeType.INT, false),
            attr("direction", OnnxMl.AttributeProto.AttributeType.STRING, false)),
    /** A, B → A B with numpy broadcasting. */
    MATMUL("MatMul", 2, 0, 1, false),
    /** data, axes (int64) → data without those size-1 axes. */
    SQUEEZE("Squeeze", 2, 0, 1, false),
    /** data, starts, ends, axes (int64) → the slice. */
    SLICE("Slice", 4, 0, 1, false),
    /** data → data with its axes permuted by {@code perm} (int[]). */
    TRANSPOSE("Transpose", 1, 0, 1, false,
            attr("perm", OnnxMl.AttributeProto.AttributeType.INTS, false)),
    /** input → log(softmax(input)) along {@code axis}. */
    LOG_SOFTMAX("LogSoftmax", 1, 0, 1, false,
            attr("axis", OnnxMl.AttributeProto.AttributeType.INT, true));

    /** The opset every exported model imports from the default domain. */
    public static final int OPSET = 17;

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final int numOutputs;
    private final boolean omitsSequenceLens;
    private final Map<String, ONNXAttribute> attributes;
    private final Set<String> mandatory;

    OnnxOps(String opName, int numInputs, int numOptionalInputs, int numOutputs, boolean omitsSequenceLens,
            ONNXAttribute... attributes) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        this.numOutputs = numOutputs;
        this.omitsSequenceLens = omitsSequenceLens;
        Map<String, ONNXAttribute> map = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            map.put(a.getName(), a);
        }
        this.attributes = Collections.unmodifiableMap(map);
        this.mandatory = Arrays.stream(attributes).filter(ONNXAttribute::isMandatory)
                .map(ONNXAttribute::getName).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static ONNXAttribute attr(String name, OnnxMl.AttributeProto.AttributeType type, boolean mandatory) {
        return new ONNXAttribute(name, type, mandatory);
    }

    @Override
    public OnnxMl.NodeProto build(ONNXContext context, String[] inputs, String[] outputs, Map<String, Object> attributeValues) {
        Map<String, Object> inNameOrder = new TreeMap<>(attributeValues);
        if (!omitsSequenceLens || inputs.length <= 4) {
            return ONNXOperator.super.build(context, inputs, outputs, inNameOrder);
        }
        // inputs 0-3 are X, W, R, B; slot 4 (sequence_lens) is left empty, the initial states follow.
        String[] withGap = new String[inputs.length + 1];
        System.arraycopy(inputs, 0, withGap, 0, 4);
        withGap[4] = "";
        System.arraycopy(inputs, 4, withGap, 5, inputs.length - 4);
        return ONNXOperator.super.build(context, withGap, outputs, inNameOrder);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return numOptionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return mandatory;
    }

    @Override
    public int getOpVersion() {
        return OPSET;
    }

    @Override
    public String getOpDomain() {
        return "";
    }
}
