#!/usr/bin/python3
"""Checks an exported Ballast model with the reference ONNX checker (full check, shape inference included).

Usage: /usr/bin/python3 scripts/check_onnx.py model.onnx
Needs Debian's python3-onnx (checks up to opset 17). Prints the opset, IR version, inputs, outputs and
metadata keys; exits 1 when the checker rejects the file.
"""
import sys

import onnx


def main(path):
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except onnx.checker.ValidationError as e:
        print(f"{path}: check_model FAILED: {str(e).splitlines()[0]}")
        return 1

    def describe(v):
        t = v.type.tensor_type
        dims = [d.dim_param or d.dim_value for d in t.shape.dim]
        return f"{v.name}: {onnx.TensorProto.DataType.Name(t.elem_type).lower()} {dims}"

    print(f"{path}: check_model(full_check=True) ok")
    print(f"  ir_version {model.ir_version}, opset {[(o.domain or 'ai.onnx', o.version) for o in model.opset_import]}")
    print(f"  ops {sorted({n.op_type for n in model.graph.node})}")
    print("  inputs  " + "; ".join(describe(v) for v in model.graph.input))
    print("  outputs " + "; ".join(describe(v) for v in model.graph.output))
    print(f"  metadata {[p.key for p in model.metadata_props]}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip())
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
