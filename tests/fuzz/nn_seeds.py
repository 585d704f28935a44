#!/usr/bin/env python3
"""Seed inputs of fuzz_nn_calls (the input format is in fuzz_nn_calls.cpp):
wasi-nn call sequences that load each test model (by name and from its bytes),
set every input, compute and read every output, plus misuse (another
instance's handles, no memory, wrong types and shapes, out-of-bounds pointers).

  nn_seeds.py MODELS_DIR OUT_DIR [NAMED_DIR]

NAMED_DIR (tests/fuzz/regressions/fuzz_nn_calls) gets a few of them under
descriptive names, so that the replay test has inputs without a corpus.
"""
import hashlib
import os
import struct
import sys

models, out = sys.argv[1:3]
named = sys.argv[3] if len(sys.argv) > 3 else None
os.makedirs(out, exist_ok=True)

FN = {n: i for i, n in enumerate([
    "load", "load_by_name", "load_by_name_with_config", "init_execution_context", "set_input", "compute",
    "get_output", "compute_single", "get_output_single", "fini_single", "unload", "finalize_execution_context"])}
F16, F32, F64, U8, I32, I64 = range(6)
SIZE = {F16: 2, F32: 4, F64: 8, U8: 1, I32: 4, I64: 8}

# Guest memory layout of every seed.
NAMES = {}
off = 0
for n in ["linear", "ints", "types", "mnist", "lin-onnx", "lin-tf", "custom", "gone", "nope"]:
    NAMES[n] = off
    off += 16
CONFIG, BUILDERS, RECORDS, DIMS, G_OUT, C_OUT, BW = 160, 192, 224, 320, 512, 516, 520
DATA, OUTBUF, MODEL = 1024, 8192, 12288


class H:  # the k-th handle handed out in this input
    def __init__(self, k): self.k = k


def param(v):
    if isinstance(v, H): return bytes([3, v.k])
    if 0 <= v <= 0xffff: return bytes([2]) + struct.pack("<H", v)
    return bytes([0]) + struct.pack("<I", v & 0xffffffff)


def seed(calls, mem, name=None, prologue=None):
    assert 1 <= len(calls) <= 16
    b = bytearray([len(calls) - 1 | (16 | prologue << 5 if prologue is not None else 0)])
    for fn, args, *who in calls:
        b.append(FN[fn] | ({"B": 6, "C": 7}[who[0]] << 4 if who else 0))
        for a in args: b += param(a)
    b += mem
    b = b.rstrip(b"\0")  # memory past the input is zero anyway
    with open(os.path.join(out, hashlib.sha1(b).hexdigest()), "wb") as f: f.write(b)
    if name and named:
        with open(os.path.join(named, name), "wb") as f: f.write(b)


def memory():
    mem = bytearray(MODEL)
    for n, o in NAMES.items(): mem[o:o + len(n)] = n.encode()
    mem[CONFIG:CONFIG + 2] = b"{}"
    return mem


def tensors(mem, specs):
    """Writes tensor records (type, dims) with data; returns their addresses."""
    recs, data, dims = [], DATA, DIMS
    for i, (t, shape, fill) in enumerate(specs):
        n = SIZE[t]
        for d in shape: n *= d
        struct.pack_into("<%dI" % len(shape), mem, dims, *shape)
        blob = (fill * (n // len(fill) + 1))[:n]
        mem[data:data + n] = blob
        rec = RECORDS + 32 * i
        struct.pack_into("<IIBxxxII", mem, rec, dims, len(shape), t, data, n)
        recs.append(rec)
        dims += 16
        data += (n + 255) // 256 * 256
    return recs


f32 = lambda *v: struct.pack("<%df" % len(v), *v)
GRAPHS = {  # inputs (type, shape, data), number of outputs
    "linear": ([(F32, [1, 4], f32(1, 2, 3, 4))], 2),
    "ints": ([(U8, [1, 4], bytes([1, 2, 3, 250])), (I32, [1, 4], struct.pack("<4i", -1, 0, 7, 2**31 - 1))], 1),
    "types": ([(F16, [2], struct.pack("<2e", 1.5, -65504)), (F64, [2], struct.pack("<2d", 0.5, 1e300)),
               (I64, [2], struct.pack("<2q", -3, 2**62))], 3),
    "mnist": ([(F32, [1, 1, 28, 28], f32(0, 0.5, 1, 0.25))], 1),
    "lin-onnx": ([(F32, [1, 4], f32(-1, 0, 1, 2))], 2),
    "lin-tf": ([(F32, [1, 4], f32(4, 3, 2, 1))], 1),
}
# Reached through the prologue only (graphs 6, 7): Tile(X, r) with the guest's repeat counts r, and
# ReduceSum of it (tests/nn/make_models.py); the fuzzer mutates r.
PRO_ONLY = {"tile": ([(I64, [2], struct.pack("<2q", 2, 3))], 1), "tilesum": ([(I64, [2], struct.pack("<2q", 3, 2))], 1)}


def run_calls(recs, nout, g=H(0), c=H(1)):
    calls = [("init_execution_context", [g, C_OUT])]
    calls += [("set_input", [c, i, r]) for i, r in enumerate(recs)]
    calls.append(("compute", [c]))
    calls += [("get_output", [c, k, OUTBUF, 4096, BW]) for k in range(nout)]
    calls += [("get_output", [c, 0, OUTBUF, 0, BW]), ("get_output", [c, 0, OUTBUF, 4, BW])]  # size query, too small
    return calls


for name, (specs, nout) in GRAPHS.items():
    mem = memory()
    recs = tensors(mem, specs)
    by_name = ("load_by_name", [NAMES[name], len(name), G_OUT])
    seed([by_name] + run_calls(recs, nout) + [("finalize_execution_context", [H(1)]), ("unload", [H(0)])], mem,
         "by-name-" + name)
    seed([("load_by_name_with_config", [NAMES[name], len(name), CONFIG, 2, G_OUT])] + run_calls(recs, nout)[:8], mem)
    # unload before use, a context kept after unload, calls from another instance and without memory
    seed([by_name, ("init_execution_context", [H(0), C_OUT]), ("unload", [H(0)]),
          ("set_input", [H(1), 0, recs[0]], "B"), ("compute", [H(1)], "C"), ("init_execution_context", [H(0), C_OUT])]
         + run_calls(recs, nout, H(0), H(1))[1:], mem, "misuse-" + name if name == "linear" else None)
    # wrong type, wrong shape, index out of range, data length off by one, dims out of bounds
    bad = memory()
    recs = tensors(bad, [(U8 if specs[0][0] != U8 else F32, specs[0][1], b"\x01")] + specs[1:])
    seed([by_name] + run_calls(recs, nout), bad)
    bad = memory()
    recs = tensors(bad, [(specs[0][0], specs[0][1] + [1, 1], b"\x02")] + specs[1:])
    struct.pack_into("<I", bad, recs[0] + 4, 40)
    seed([by_name] + run_calls(recs, nout), bad)

# `load` from bytes in memory: IR (xml + weights), ONNX, TensorFlow, autodetect
for name, enc, files in [("linear", 0, ["linear/model.xml", "linear/model.bin"]),
                         ("ints", 0, ["ints/model.xml", "ints/model.bin"]),
                         ("types", 5, ["types/model.xml", "types/model.bin"]),
                         ("linear", 5, ["linear/model.xml"]),
                         ("lin-onnx", 1, ["linear/model.onnx"]),
                         ("lin-onnx", 5, ["linear/model.onnx"]),
                         ("lin-tf", 2, ["linear/model.pb"]),
                         ("lin-tf", 5, ["linear/model.pb"]),
                         ("custom", 1, ["custom/model.onnx"]),
                         ("custom", 2, ["custom/model.pb"]),
                         ("extdata", 1, ["extdata/ok/model.onnx"]),  # external data: refused
                         ("extdata", 5, ["extdata/dotdot/model.onnx"])]:
    specs, nout = GRAPHS.get(name, ([], 0))
    mem = memory()
    recs = tensors(mem, specs)
    at = MODEL
    for i, f in enumerate(files):
        b = open(os.path.join(models, f), "rb").read()
        struct.pack_into("<II", mem, BUILDERS + 8 * i, at, len(b))
        mem[len(mem):] = bytes(at + len(b) - len(mem))
        mem[at:at + len(b)] = b
        at += (len(b) + 15) // 16 * 16
    seed([("load", [BUILDERS, len(files), enc, 0, G_OUT])] + run_calls(recs, nout), mem,
         "load-%s-%s" % (name, ["openvino", "onnx"][enc]) if (name, enc) in (("linear", 0), ("lin-onnx", 1), ("extdata", 1)) else None)
    if name == "linear" and enc == 0:  # other targets, bad encodings and targets, truncated builders
        for e, t in [(0, 1), (0, 2), (9, 0), (0, 7), (3, 0), (1, 0)]:
            seed([("load", [BUILDERS, 2, e, t, G_OUT])], mem)
        seed([("load", [BUILDERS, 65, 0, 0, G_OUT]), ("load", [65536 - 8, 2, 0, 0, G_OUT]),
              ("load", [BUILDERS, 2, 0, 0, 65534]), ("load", [BUILDERS, 0xffffffff, 0, 0, G_OUT])], mem,
             "load-bad-arguments")

# with the prologue (load_by_name, init, set_input of every input from memory at 1024 + 4096 i, compute;
# graph handle 0, context 1): outputs, size queries, new inputs, a second compute, cleanup
PRO = ["linear", "ints", "types", "mnist", "lin-onnx", "lin-tf", "tile", "tilesum"]
for g, name in enumerate(PRO):
    specs, nout = GRAPHS[name] if name in GRAPHS else PRO_ONLY[name]
    mem = memory()
    recs = tensors(mem, specs)
    for i, (t, shape, fill) in enumerate(specs):
        n = SIZE[t]
        for d in shape: n *= d
        mem[1024 + 4096 * i:1024 + 4096 * i + n] = (fill * (n // len(fill) + 1))[:n]
    outs = [("get_output", [H(1), k, OUTBUF, 4096, BW]) for k in range(nout)]
    seed(outs + [("get_output", [H(1), 0, OUTBUF, 0, BW]), ("set_input", [H(1), 0, recs[0]]), ("compute", [H(1)])]
         + outs + [("init_execution_context", [H(0), C_OUT]), ("finalize_execution_context", [H(1)]),
                   ("unload", [H(0)]), ("compute", [H(2)])], mem,
         "prologue-" + name if name in ("linear", "types", "mnist", "tile") else None, g)
    seed([("get_output", [H(1), 0, 65536 - 8, 4096, BW]), ("get_output", [H(1), 0, OUTBUF, 4096, 65534]),
          ("get_output", [H(1), 0, OUTBUF, 4096, OUTBUF + 4]), ("get_output", [H(1), nout, OUTBUF, 4096, BW]),
          ("get_output", [H(1), 0, OUTBUF, 0xffffffff, BW]), ("get_output", [H(1), 0, OUTBUF, 4096, BW], "B"),
          ("compute", [H(1)], "C"), ("set_input", [H(1), 0, 65530])], mem, None, g)

# issue 12's repeat counts for Tile: refused before compute (too_large, invalid_argument), never a crash
for label, r in [("2p31", (2**31, 2)), ("negative", (-1, -1)), ("2p32", (2**32, 2**32)), ("16384", (16384, 16384))]:
    for g in (6, 7):
        mem = memory()
        mem[1024:1040] = struct.pack("<2q", *r)
        seed([("get_output", [H(1), 0, OUTBUF, 4096, BW]), ("compute", [H(1)])], mem,
             "tile-repeats-" + label if g == 6 else None, g)

# the functions no backend has, unknown names, pointers at and past the end of memory
mem = memory()
seed([("compute_single", [0]), ("get_output_single", [0, 0, OUTBUF, 16, BW]), ("fini_single", [0]),
      ("load_by_name", [NAMES["nope"], 4, G_OUT]), ("load_by_name", [NAMES["gone"], 4, G_OUT]),
      ("load_by_name", [65535, 2, G_OUT]), ("load_by_name", [0xfffffff0, 0x20, G_OUT]),
      ("load_by_name_with_config", [NAMES["linear"], 6, 65530, 7, G_OUT])], mem, "unsupported-and-bounds")
print("nn_seeds: %d files in %s" % (len(os.listdir(out)), out))
