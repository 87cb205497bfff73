#!/usr/bin/env python3
"""Reads a checkpoint of the digits example with the `safetensors` package alone and runs
its forward pass in numpy, as PyTorch's nn.Linear would (y = x W^T + b), to show the file is
self-describing: the architecture is in the `spec` metadata, the input standardisation in
`input_standardizer`, the weights in nn.Linear's [out, in] layout.

    pip install safetensors numpy pyyaml
    cargo run --release --example digits && cargo run --release --example digits_eval
    python3 scripts/check_interop.py target/mlp/digits/model.safetensors examples/data/digits.csv

It prints the accuracy over all digits, which must equal digits_eval's last line.
"""
import json
import sys

import numpy as np
import yaml
from safetensors import safe_open
from safetensors.numpy import load_file

path, csv = sys.argv[1], sys.argv[2]
tensors = load_file(path)
with safe_open(path, "np") as f:
    meta = f.metadata()
assert meta["format"] == "mlp-checkpoint/1", meta["format"]
spec = yaml.safe_load(meta["spec"])
scaler = json.loads(meta["input_standardizer"])

data = np.loadtxt(csv, delimiter=",", skiprows=1)
x = (data[:, :-1] - np.array(scaler["mean"])) / np.array(scaler["std"])
labels = data[:, -1].astype(int)

activations = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "identity": lambda z: z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "softmax": lambda z: np.exp(z - z.max(axis=1, keepdims=True))
    / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
}
a = x.astype(np.float32)
for i, layer in enumerate(spec["layers"]):
    w, b = tensors[f"layers.{i}.weight"], tensors[f"layers.{i}.bias"]
    a = activations[layer["activation"]["kind"]](a @ w.T + b)
print(f"accuracy on all {len(labels)} digits: {(a.argmax(axis=1) == labels).mean():.6f}")
