package dev.ballast.export;

import ai.onnx.proto.OnnxMl;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One input or output of an exported graph: its name, element type and dimensions, each dimension with
 * the label the {@code ballast.signature} metadata gives it. One description yields both the graph's
 * {@code value_info} and the signature's line, so the two cannot disagree.
 *
 * <pre>{@code
 * GraphTensor.int64("tokens", null, Dim.SEQUENCE, Dim.BATCH).signatureLine()  // "tokens: int64 [sequence, batch]"
 * }</pre>
 *
 * @param note said after the shape in the signature (what to pass, how to read it), or null
 */
record GraphTensor(String name, OnnxMl.TensorProto.DataType type, List<Dim> dims, String note) {

    /** A dimension: fixed ({@code size > 0}) or dynamic ({@code size == 0}, named by its label in the graph). */
    record Dim(String label, int size) {
        static final Dim SEQUENCE = new Dim("sequence", 0);
        static final Dim BATCH = new Dim("batch", 0);

        static Dim fixed(String label, int size) {
            if (size < 1) {
                throw new IllegalArgumentException(label + " must be at least 1, got " + size);
            }
            return new Dim(label, size);
        }
    }

    static GraphTensor float32(String name, String note, Dim... dims) {
        return new GraphTensor(name, OnnxMl.TensorProto.DataType.FLOAT, List.of(dims), note);
    }

    static GraphTensor int64(String name, String note, Dim... dims) {
        return new GraphTensor(name, OnnxMl.TensorProto.DataType.INT64, List.of(dims), note);
    }

    /** The graph's declaration: fixed dimensions by value, dynamic ones by name. */
    OnnxMl.ValueInfoProto valueInfo() {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Dim d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d.size() > 0) {
                dim.setDimValue(d.size());
            } else {
                dim.setDimParam(d.label());
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    /** The signature's line, e.g. {@code h0: float32 [layers, batch, hidden]}, then the note if any. */
    String signatureLine() {
        String typeName = type == OnnxMl.TensorProto.DataType.INT64 ? "int64" : "float32";
        String labels = dims.stream().map(Dim::label).collect(Collectors.joining(", ", "[", "]"));
        return name + ": " + typeName + " " + labels + (note == null ? "" : " " + note);
    }
}
