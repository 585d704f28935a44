#!/usr/bin/env python3
"""Builds the tiny OpenVINO IR models of the wasi-nn tests (run with the
project's .venv python, which has OpenVINO): OUT/<name>/model.xml + model.bin.

  linear: x f32[1,4] -> add = x @ W + b (f32[1,3]), relu = ReLU(add);  outputs [relu, add]
  ints:   a u8[1,4], b i32[1,4] -> a*2 + b (i32[1,4])
  types:  h f16[2], d f64[2], l i64[2] -> h*2 (f16), d+0.25 (f64), l*3 (i64)
  onnx:   OUT/linear/model.onnx, the linear model as ONNX (opset 13), written with a
          minimal protobuf encoder below (no `onnx` package needed)
  tf:     OUT/linear/model.pb, the linear model as a frozen TensorFlow GraphDef (relu output
          only), same encoder
  custom: OUT/custom/model.onnx + model.pb: one op, WnnNoSuchOp, that no frontend converts
  tile:   OUT/tile/model.onnx: t = Tile(X, r), X = [[1,2],[3,4]] (f32, in the model), r the only
          input (i64[2]); OUT/tilesum/model.onnx: s = ReduceSum(Tile(X, r)) (a scalar from a big
          intermediate)
  extdata: ONNX models y = x + W (x f32[4]) whose W is external data, for preloading:
          OUT/extdata/secret.bin (16 bytes no model may read) and one directory per location:
          ok ("weights.bin"), sub ("data/w.bin"), inlink ("link.bin" -> weights.bin, inside),
          dotdot ("../secret.bin"), absolute (OUT/extdata/secret.bin), outlink ("link.bin" ->
          ../secret.bin), missing ("nothere.bin"), badlength ("weights.bin", length 17)
  mlp:    OUT/mlp/model.onnx: x f32[1,256] -> Softmax(ReLU(x @ W1 + b1) @ W2 + b2) (f32[1,10]), random
          weights (seed 16), enough accumulation for bf16 arithmetic to show; OUT/mlp/reference.txt: the
          ten probabilities computed by numpy in f64 from the same f32 weights and the input
          x[i] = ((37 i) mod 101 - 50) / 64 (exact in f32; tests/nn/guests/config.c makes the same)

Weights and inputs are small integers and halves, so every expected output
is exact (tests/nn/nn_test.cpp spells them out), except mlp's, which has a
reference computed in f64 instead.
"""
import os
import sys

import numpy as np
import openvino as ov
import openvino.opset13 as ops

W = np.array([[1, -1, 0.5], [2, 0, 0], [0, 1, -1], [1, 1, 1]], dtype=np.float32)
B = np.array([0.5, -10, 1], dtype=np.float32)


def linear():
    x = ops.parameter([1, 4], np.float32, name="x")
    add = ops.add(ops.matmul(x, ops.constant(W), False, False), ops.constant(B), name="add")
    relu = ops.relu(add, name="relu")
    return ov.Model([relu, add], [x], "linear")


def ints():
    a = ops.parameter([1, 4], np.uint8, name="a")
    b = ops.parameter([1, 4], np.int32, name="b")
    y = ops.add(ops.multiply(ops.convert(a, "i32"), ops.constant(np.array(2, dtype=np.int32))), b, name="y")
    return ov.Model([y], [a, b], "ints")


def types():
    h = ops.parameter([2], np.float16, name="h")
    d = ops.parameter([2], np.float64, name="d")
    l = ops.parameter([2], np.int64, name="l")
    h2 = ops.multiply(h, ops.constant(np.array(2, dtype=np.float16)), name="h2")
    d2 = ops.add(d, ops.constant(np.array(0.25, dtype=np.float64)), name="d2")
    l3 = ops.multiply(l, ops.constant(np.array(3, dtype=np.int64)), name="l3")
    return ov.Model([h2, d2, l3], [h, d, l], "types")


# --- ONNX: protobuf wire format by hand (onnx.proto field numbers) ---------
def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field_varint(num, v):
    return varint(num << 3) + varint(v)


def field_bytes(num, b):
    if isinstance(b, str):
        b = b.encode()
    return varint(num << 3 | 2) + varint(len(b)) + b


def onnx_tensor(name, array):  # TensorProto: dims 1, data_type 2 (FLOAT = 1), name 8, raw_data 9
    out = b"".join(field_varint(1, d) for d in array.shape)
    return out + field_varint(2, 1) + field_bytes(8, name) + field_bytes(9, array.astype("<f4").tobytes())


def onnx_value_info(name, shape, elem=1):  # ValueInfoProto{name 1, type 2: TypeProto{tensor_type 1{elem_type 1, shape 2}}}
    tensor_type = field_varint(1, elem)
    if shape is not None:
        tensor_type += field_bytes(2, b"".join(field_bytes(1, field_varint(1, d)) for d in shape))
    return field_bytes(1, name) + field_bytes(2, field_bytes(1, tensor_type))


def onnx_node(op, inputs, outputs, name):  # NodeProto: input 1, output 2, name 3, op_type 4
    out = b"".join(field_bytes(1, i) for i in inputs) + b"".join(field_bytes(2, o) for o in outputs)
    return out + field_bytes(3, name) + field_bytes(4, op)


def linear_onnx():
    graph = (field_bytes(1, onnx_node("MatMul", ["x", "W"], ["mm"], "mm"))
             + field_bytes(1, onnx_node("Add", ["mm", "B"], ["add"], "add"))
             + field_bytes(1, onnx_node("Relu", ["add"], ["relu"], "relu"))
             + field_bytes(2, "linear")
             + field_bytes(5, onnx_tensor("W", W)) + field_bytes(5, onnx_tensor("B", B))
             + field_bytes(11, onnx_value_info("x", [1, 4]))
             + field_bytes(12, onnx_value_info("relu", [1, 3])) + field_bytes(12, onnx_value_info("add", [1, 3])))
    opset = field_bytes(1, "") + field_varint(2, 13)
    # ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8
    return field_varint(1, 8) + field_bytes(2, "wnn-tests") + field_bytes(7, graph) + field_bytes(8, opset)


# --- TensorFlow frozen GraphDef (graph.proto / node_def.proto / attr_value.proto) ---
DT_FLOAT = 1


def tf_shape(dims):  # TensorShapeProto{dim 2: {size 1}}
    return b"".join(field_bytes(2, field_varint(1, d)) for d in dims)


def tf_attr(key, value):  # map<string, AttrValue> entry; AttrValue: b 5, type 6, shape 7, tensor 8
    return field_bytes(5, field_bytes(1, key) + field_bytes(2, value))


def tf_node(name, op, inputs=(), attrs=b""):  # NodeDef: name 1, op 2, input 3, attr 5
    return field_bytes(1, name) + field_bytes(2, op) + b"".join(field_bytes(3, i) for i in inputs) + attrs


def tf_const(name, array):  # TensorProto: dtype 1, tensor_shape 2, tensor_content 4
    tensor = field_varint(1, DT_FLOAT) + field_bytes(2, tf_shape(array.shape)) + field_bytes(4, array.astype("<f4").tobytes())
    return tf_node(name, "Const", (), tf_attr("dtype", field_varint(6, DT_FLOAT)) + tf_attr("value", field_bytes(8, tensor)))


def linear_tf():
    t = tf_attr("T", field_varint(6, DT_FLOAT))
    nodes = [
        tf_node("x", "Placeholder", (), tf_attr("dtype", field_varint(6, DT_FLOAT)) + tf_attr("shape", field_bytes(7, tf_shape([1, 4])))),
        tf_const("W", W),
        tf_const("B", B),
        tf_node("mm", "MatMul", ("x", "W"), t + tf_attr("transpose_a", field_varint(5, 0)) + tf_attr("transpose_b", field_varint(5, 0))),
        tf_node("add", "AddV2", ("mm", "B"), t),
        tf_node("relu", "Relu", ("add",), t),
    ]
    # GraphDef: node 1, versions 4 (VersionDef: producer 1)
    return b"".join(field_bytes(1, n) for n in nodes) + field_bytes(4, field_varint(1, 1000))


def custom_onnx():
    """x -> WnnNoSuchOp -> y: an op no frontend knows (unsupported_operation)."""
    graph = (field_bytes(1, onnx_node("WnnNoSuchOp", ["x"], ["y"], "y")) + field_bytes(2, "custom")
             + field_bytes(11, onnx_value_info("x", [1, 4])) + field_bytes(12, onnx_value_info("y", [1, 4])))
    opset = field_bytes(1, "") + field_varint(2, 13)
    return field_varint(1, 8) + field_bytes(2, "wnn-tests") + field_bytes(7, graph) + field_bytes(8, opset)


def custom_tf():
    nodes = [tf_node("x", "Placeholder", (), tf_attr("dtype", field_varint(6, DT_FLOAT)) + tf_attr("shape", field_bytes(7, tf_shape([1, 4])))),
             tf_node("y", "WnnNoSuchOp", ("x",), tf_attr("T", field_varint(6, DT_FLOAT)))]
    return b"".join(field_bytes(1, n) for n in nodes) + field_bytes(4, field_varint(1, 1000))


ONNX_INT64 = 7


def onnx_model(graph):
    opset = field_bytes(1, "") + field_varint(2, 13)
    return field_varint(1, 8) + field_bytes(2, "wnn-tests") + field_bytes(7, graph) + field_bytes(8, opset)


TILE_X = np.array([[1, 2], [3, 4]], dtype=np.float32)


def tile_onnx(reduce):
    """t = Tile(X, r): the guest chooses only the repeat counts r (i64[2]); with `reduce`, s = ReduceSum(t)."""
    nodes = field_bytes(1, onnx_node("Tile", ["X", "r"], ["t"], "t"))
    out = "t"
    if reduce:
        nodes += field_bytes(1, onnx_node("ReduceSum", ["t"], ["s"], "s") + field_bytes(5, field_bytes(1, "keepdims") + field_varint(3, 0) + field_varint(20, 2)))
        out = "s"
    graph = (nodes + field_bytes(2, "tile") + field_bytes(5, onnx_tensor("X", TILE_X))
             + field_bytes(11, onnx_value_info("r", [2], ONNX_INT64)) + field_bytes(12, onnx_value_info(out, None)))
    return onnx_model(graph)


def write_mlp(out):
    rng = np.random.default_rng(16)
    w1 = (rng.standard_normal((256, 64)) * 0.1).astype(np.float32)
    b1 = (rng.standard_normal(64) * 0.1).astype(np.float32)
    w2 = (rng.standard_normal((64, 10)) * 0.3).astype(np.float32)
    b2 = (rng.standard_normal(10) * 0.1).astype(np.float32)
    nodes = [("MatMul", ["x", "W1"], "m1"), ("Add", ["m1", "B1"], "a1"), ("Relu", ["a1"], "r1"),
             ("MatMul", ["r1", "W2"], "m2"), ("Add", ["m2", "B2"], "logits"), ("Softmax", ["logits"], "p")]
    graph = b"".join(field_bytes(1, onnx_node(op, ins, [o], o)) for op, ins, o in nodes) + field_bytes(2, "mlp")
    for name, a in (("W1", w1), ("B1", b1), ("W2", w2), ("B2", b2)):
        graph += field_bytes(5, onnx_tensor(name, a))
    graph += field_bytes(11, onnx_value_info("x", [1, 256])) + field_bytes(12, onnx_value_info("p", [1, 10]))
    d = os.path.join(out, "mlp")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "model.onnx"), "wb") as f:
        f.write(onnx_model(graph))
    x = np.array([((37 * i) % 101 - 50) / 64 for i in range(256)], dtype=np.float64)[None, :]
    h = np.maximum(x @ w1.astype(np.float64) + b1.astype(np.float64), 0)
    z = h @ w2.astype(np.float64) + b2.astype(np.float64)
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    with open(os.path.join(d, "reference.txt"), "w") as f:
        f.write(" ".join(f"{v:.17g}" for v in p[0]) + "\n")


SECRET = b"WNN-SECRET-BYTES"  # 16 bytes: 4 floats


def external_tensor(name, dims, location, length):  # TensorProto: external_data 13 {key 1, value 2}, data_location 14
    out = b"".join(field_varint(1, d) for d in dims) + field_varint(2, 1) + field_bytes(8, name)
    out += field_bytes(13, field_bytes(1, "location") + field_bytes(2, location))
    out += field_bytes(13, field_bytes(1, "length") + field_bytes(2, str(length)))
    return out + field_varint(14, 1)


def extdata_onnx(location, length=16):
    """y = x + W, W (f32[4]) external data at `location`."""
    graph = (field_bytes(1, onnx_node("Add", ["x", "W"], ["y"], "y")) + field_bytes(2, "extdata")
             + field_bytes(5, external_tensor("W", [4], location, length))
             + field_bytes(11, onnx_value_info("x", [4])) + field_bytes(12, onnx_value_info("y", [4])))
    return onnx_model(graph)


def write_extdata(out):
    base = os.path.join(out, "extdata")
    weights = np.array([1.5, -2, 0.25, 8], dtype="<f4").tobytes()
    cases = {"ok": "weights.bin", "sub": "data/w.bin", "inlink": "link.bin", "dotdot": "../secret.bin",
             "absolute": os.path.abspath(os.path.join(base, "secret.bin")), "outlink": "link.bin",
             "missing": "nothere.bin", "badlength": "weights.bin"}
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, "secret.bin"), "wb") as f:
        f.write(SECRET)
    for case, location in cases.items():
        d = os.path.join(base, case)
        os.makedirs(os.path.join(d, "data"), exist_ok=True)
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(extdata_onnx(location, 17 if case == "badlength" else 16))
        for name in ("weights.bin", "data/w.bin"):
            with open(os.path.join(d, name), "wb") as f:
                f.write(weights)
        link = os.path.join(d, "link.bin")
        if os.path.lexists(link):
            os.remove(link)
        if case in ("inlink", "outlink"):
            os.symlink("weights.bin" if case == "inlink" else "../secret.bin", link)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "models"
    for name, make in (("linear", linear), ("ints", ints), ("types", types)):
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        # compress_to_fp16=False: keep f32 weights exactly as given.
        ov.save_model(make(), os.path.join(d, "model.xml"), compress_to_fp16=False)
    with open(os.path.join(out, "linear", "model.onnx"), "wb") as f:
        f.write(linear_onnx())
    with open(os.path.join(out, "linear", "model.pb"), "wb") as f:
        f.write(linear_tf())
    os.makedirs(os.path.join(out, "custom"), exist_ok=True)
    with open(os.path.join(out, "custom", "model.onnx"), "wb") as f:
        f.write(custom_onnx())
    with open(os.path.join(out, "custom", "model.pb"), "wb") as f:
        f.write(custom_tf())
    for name, reduce in (("tile", False), ("tilesum", True)):
        os.makedirs(os.path.join(out, name), exist_ok=True)
        with open(os.path.join(out, name, "model.onnx"), "wb") as f:
            f.write(tile_onnx(reduce))
    write_extdata(out)
    write_mlp(out)
    print(f"make_models: wrote tile, tilesum, extdata, mlp (ONNX); linear (IR, ONNX, TensorFlow), ints, types, custom (ONNX, TensorFlow) to {out}")


if __name__ == "__main__":
    main()
