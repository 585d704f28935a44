#!/usr/bin/env python3
"""Converts a third-party model (ONNX, TFLite) to OpenVINO IR with OpenVINO's
converter, so nn_test can run one model through two encodings and compare:

  .venv/bin/python tests/nn/convert_ir.py MODEL OUT_DIR    (writes OUT_DIR/model.xml + model.bin)

Weights stay f32 (no f16 compression): the IR must compute what the source does.
"""
import os
import sys

import openvino as ov

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
ov.save_model(ov.convert_model(src), os.path.join(out, "model.xml"), compress_to_fp16=False)
