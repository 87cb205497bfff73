#!/usr/bin/env python3
"""A PyTorch model with batch norm, for the import test of tests/suite/checkpoint.rs.

    python3 tests/oracle/import_batch_norm.py

Writes `import_batch_norm/model.safetensors`, the `state_dict` of
`nn.Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Linear(8, 8), BatchNorm1d(8, eps=1e-3,
momentum=0.2), Tanh(), Linear(8, 3))` after a few training steps (so that its running
statistics moved; its Linear layers have biases, which the import folds into the running
means), and `import_batch_norm/io.safetensors`: inputs `x` [5, 4] and the model's softmax
outputs `y` [5, 3] in evaluation mode. The network's spec is
`tests/specs/import-batch-norm.yaml`.
"""

from pathlib import Path

import torch
from safetensors.torch import save_file

HERE = Path(__file__).resolve().parent / "import_batch_norm"

torch.manual_seed(1516)
model = torch.nn.Sequential(
    torch.nn.Linear(4, 8),
    torch.nn.BatchNorm1d(8),
    torch.nn.ReLU(),
    torch.nn.Linear(8, 8),
    torch.nn.BatchNorm1d(8, eps=1e-3, momentum=0.2),
    torch.nn.Tanh(),
    torch.nn.Linear(8, 3),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(10):
    x = torch.randn(16, 4) * 2 + 1
    labels = torch.randint(0, 3, (16,))
    optimizer.zero_grad()
    torch.nn.functional.cross_entropy(model(x), labels).backward()
    optimizer.step()
model.eval()
x = torch.randn(5, 4) * 2 + 1
with torch.no_grad():
    y = torch.softmax(model(x), dim=1)
HERE.mkdir(exist_ok=True)
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, HERE / "model.safetensors")
save_file({"x": x, "y": y}, HERE / "io.safetensors")
print(f"written to {HERE}")
