#!/usr/bin/env python3
"""ONNX Runtime's outputs for a model, as a reference for tests/nn/config_test.cpp.

  ort_reference.py VENV MODEL.onnx DIMS OUT.txt

Installs onnxruntime (PyPI, pinned) into VENV on first use — a test-only
dependency, never wnn's — runs MODEL on the input tests/nn/guests/config.c
makes for DIMS (f32, element i = ((37 i) mod 101 - 50) / 64), and writes one
line per output, "out<k>: v v ...", as the guest prints them. When anything
fails it writes "unavailable: WHY" instead, so the build goes on and the test
fails saying why.
"""
import os
import subprocess
import sys

ORT = "onnxruntime==1.31.1"


def compute(model, dims, out):
    import numpy as np
    import onnxruntime as ort

    shape = [int(d) for d in dims.split("x")]
    n = int(np.prod(shape))
    x = (((37 * np.arange(n, dtype=np.int64)) % 101 - 50) / 64).astype(np.float32).reshape(shape)
    s = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    outs = s.run(None, {s.get_inputs()[0].name: x})
    with open(out, "w") as f:
        for k, o in enumerate(outs):
            f.write(f"out{k}: " + " ".join(f"{v:.9g}" for v in o.astype(np.float32).ravel()) + "\n")


def main():
    venv, model, dims, out = sys.argv[1:5]
    if len(sys.argv) > 5:  # inside VENV
        compute(model, dims, out)
        return 0
    py = os.path.join(venv, "bin", "python")
    try:
        if subprocess.run([py, "-c", "import onnxruntime"], capture_output=True).returncode if os.path.exists(py) else 1:
            subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True)
            subprocess.run([py, "-m", "pip", "install", "-q", ORT], check=True, capture_output=True, text=True)
        subprocess.run([py, os.path.abspath(__file__), venv, model, dims, out, "compute"], check=True,
                       capture_output=True, text=True)
    except subprocess.CalledProcessError as e:
        why = (e.stderr or "").strip().splitlines()
        with open(out, "w") as f:
            f.write(f"unavailable: {' '.join(e.cmd)} failed: {why[-1] if why else e.returncode}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
