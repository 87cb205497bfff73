#!/usr/bin/env python3
"""PyTorch reference runs for tests/suite/oracle.rs.

    python3 tests/oracle/generate.py verify        # recompute every case, compare with its files
    python3 tests/oracle/generate.py write case_10 # (re)write a case defined in CASES below

Needs `pip install torch safetensors numpy`. Every number is computed by PyTorch in float64
and stored as float32, in the layout tests/oracle/README.md describes. `verify` recomputes
the expected tensors of every case from its `case.json`, `init.safetensors` and
`data.safetensors`, so it also checks this script against cases 01-08, which were made by an
earlier tool (with finite-difference and JAX cross-checks, recorded in their `case.json`).
`write` draws the initial parameters and the data from the case's seed, computes the run,
checks the first gradient against central finite differences, and writes the case.
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file

HERE = Path(__file__).resolve().parent
TOLERANCE = {"relative": 1e-4, "absolute": 1e-5}

# Cases this script creates. The keys follow the case.json of the earlier cases.
CASES = {
    "case_09": {
        "description": "silu in two hidden layers, mse, sgd with momentum, l2",
        "shape": [3, 5, 4, 2],
        "activations": ["silu", "silu", "identity"],
        "loss": "mse",
        "optimizer": {"kind": "momentum", "lr": 0.05, "momentum": 0.9},
        "regularization": {"l2": 0.001, "l1": 0.0},
        "batch_size": 4,
        "steps": 5,
        "targets": "normal",
        "seed": 1509,
    },
    "case_10": {
        "description": "softmax cross-entropy with class weights (CrossEntropyLoss(weight=...)), adam",
        "shape": [4, 6, 3],
        "activations": ["tanh", "softmax"],
        "loss": "cross_entropy",
        "class_weights": [1.0, 2.5, 0.5],
        "optimizer": {"kind": "adam", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08},
        "regularization": {"l2": 0.0, "l1": 0.0},
        "batch_size": 8,
        "steps": 5,
        "targets": "classes",
        "seed": 1510,
    },
    "case_11": {
        "description": "sigmoid bce with class weights (BCEWithLogitsLoss(weight=w0, pos_weight=w1/w0)), plain sgd (fused)",
        "shape": [3, 5, 1],
        "activations": ["relu", "sigmoid"],
        "loss": "bce",
        "class_weights": [0.75, 3.0],
        "optimizer": {"kind": "sgd", "lr": 0.1},
        "regularization": {"l2": 0.0, "l1": 0.0},
        "batch_size": 6,
        "steps": 5,
        "targets": "classes",
        "seed": 1511,
    },
}

ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01),
    "elu": lambda z: torch.nn.functional.elu(z, 1.0),
    "gelu": lambda z: torch.nn.functional.gelu(z, approximate="none"),
    "softplus": torch.nn.functional.softplus,
    "silu": torch.nn.functional.silu,
}


def loss_of(name, logits, output, y, class_weights=None):
    """The mean loss over the batch; `logits` is the output layer's pre-activation. With
    class weights, `y` holds one-hot rows (cross_entropy) or 0/1 (bce)."""
    n = y.shape[0]
    if class_weights is not None:
        w = torch.tensor(class_weights, dtype=torch.float64)
        if name == "cross_entropy":
            return torch.nn.functional.cross_entropy(logits, y.argmax(dim=1), weight=w)
        if name == "bce":
            return torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y, weight=w[0], pos_weight=w[1:] / w[0]
            )
        raise ValueError(f"no class weights for {name}")
    if name == "mse":
        return ((output - y) ** 2).mean()
    if name == "mae":
        return (output - y).abs().mean()
    if name == "huber":
        return torch.nn.functional.huber_loss(output, y, delta=1.0)
    if name == "sum_of_squares":
        return 0.5 * ((output - y) ** 2).sum() / n
    if name == "hinge":
        return torch.clamp(1 - y * output, min=0).mean()
    if name == "bce":
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
    if name == "cross_entropy":
        return -(y * torch.log_softmax(logits, dim=1)).sum() / n
    raise ValueError(f"no loss {name}")


def forward(case, params, x):
    """The output and the output layer's logits."""
    a = x
    layers = len(case["activations"])
    for i, name in enumerate(case["activations"]):
        z = a @ params[f"layers.{i}.weight"].T + params[f"layers.{i}.bias"]
        if i == layers - 1:
            if name == "softmax":
                return torch.softmax(z, dim=1), z
            return ACTIVATIONS[name](z), z
        a = ACTIVATIONS[name](z)
    raise AssertionError("a case has an output layer")


def objective(case, params, x, y):
    """The loss with the penalty `(l2 / 2) sum w^2 + l1 sum |w|` over the weights."""
    output, logits = forward(case, params, x)
    loss = loss_of(case["loss"], logits, output, y, case.get("class_weights"))
    reg = case["regularization"]
    for name, p in params.items():
        if name.endswith(".weight"):
            loss = loss + 0.5 * reg["l2"] * (p**2).sum() + reg["l1"] * p.abs().sum()
    return loss


def optimizer_for(case, params):
    spec = case["optimizer"]
    kind, lr = spec["kind"], spec["lr"]
    values = list(params.values())
    if kind == "sgd":
        return torch.optim.SGD(values, lr=lr)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(values, lr=lr, momentum=spec["momentum"], nesterov=kind == "nesterov")
    if kind == "adagrad":
        return torch.optim.Adagrad(values, lr=lr, eps=spec["eps"])
    if kind == "rmsprop":
        return torch.optim.RMSprop(values, lr=lr, alpha=spec["alpha"], eps=spec["eps"])
    betas = (spec.get("beta1", 0.9), spec.get("beta2", 0.999))
    if kind == "adam":
        return torch.optim.Adam(values, lr=lr, betas=betas, eps=spec["eps"])
    if kind == "adamw":
        # The decoupled decay applies to weights only.
        weights = [p for name, p in params.items() if name.endswith(".weight")]
        biases = [p for name, p in params.items() if name.endswith(".bias")]
        groups = [
            {"params": weights, "weight_decay": spec["weight_decay"]},
            {"params": biases, "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=spec["eps"])
    raise ValueError(f"no optimizer {kind}")


def run(case, init, data):
    """Every expected tensor of a case, as float32 arrays."""
    params = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in init.items()}
    x = torch.tensor(data["x"], dtype=torch.float64)
    y = torch.tensor(data["y"], dtype=torch.float64)
    batch = case["batch_size"]
    steps = x.shape[0] // batch
    optimizer = optimizer_for(case, params)
    expected, losses = {}, []
    for step in range(steps):
        xb, yb = x[step * batch : (step + 1) * batch], y[step * batch : (step + 1) * batch]
        optimizer.zero_grad()
        loss = objective(case, params, xb, yb)
        loss.backward()
        losses.append(loss.item())
        if step == 0:
            expected["forward.out"] = forward(case, params, xb)[0].detach()
            expected["loss0"] = torch.tensor([loss.item()])
            for name, p in params.items():
                expected[f"grad.{name}"] = p.grad.detach().clone()
        optimizer.step()
        if step == 0:
            for name, p in params.items():
                expected[f"step1.{name}"] = p.detach().clone()
    for name, p in params.items():
        expected[f"final.{name}"] = p.detach().clone()
    expected["losses"] = torch.tensor(losses)
    return {k: v.numpy().astype(np.float32) for k, v in expected.items()}


def finite_difference_error(case, init, data):
    """The largest relative error of the first batch's gradient against central differences."""
    params = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in init.items()}
    batch = case["batch_size"]
    x = torch.tensor(data["x"][:batch], dtype=torch.float64)
    y = torch.tensor(data["y"][:batch], dtype=torch.float64)
    objective(case, params, x, y).backward()
    worst, h = 0.0, 1e-6
    with torch.no_grad():
        for p in params.values():
            flat = p.view(-1)
            for k in range(flat.numel()):
                saved = flat[k].item()
                flat[k] = saved + h
                up = objective(case, params, x, y).item()
                flat[k] = saved - h
                down = objective(case, params, x, y).item()
                flat[k] = saved
                numeric = (up - down) / (2 * h)
                analytic = p.grad.view(-1)[k].item()
                worst = max(worst, abs(numeric - analytic) / max(1e-8, abs(numeric), abs(analytic)))
    return worst


def draw(case):
    """Initial parameters (as `torch.nn.Linear` draws them, biases random too) and data."""
    generator = torch.Generator().manual_seed(case["seed"])
    shape, init = case["shape"], {}
    for i, (fan_in, fan_out) in enumerate(zip(shape, shape[1:])):
        bound = 1 / math.sqrt(fan_in)
        for role, size in (("weight", (fan_out, fan_in)), ("bias", (fan_out,))):
            values = (torch.rand(size, generator=generator, dtype=torch.float64) * 2 - 1) * bound
            init[f"layers.{i}.{role}"] = values.numpy().astype(np.float32)
    rows = case["steps"] * case["batch_size"]
    x = torch.randn((rows, shape[0]), generator=generator, dtype=torch.float64)
    if case["targets"] == "normal":
        y = torch.randn((rows, shape[-1]), generator=generator, dtype=torch.float64)
    elif case["targets"] == "classes":
        # One-hot rows, or 0/1 for one output.
        labels = torch.randint(0, max(shape[-1], 2), (rows,), generator=generator)
        if shape[-1] == 1:
            y = labels.to(torch.float64).unsqueeze(1)
        else:
            y = torch.nn.functional.one_hot(labels, shape[-1]).to(torch.float64)
    else:
        raise ValueError(f"this script draws no {case['targets']} targets")
    data = {"x": x.numpy().astype(np.float32), "y": y.numpy().astype(np.float32)}
    return init, data


def spec_yaml(case):
    lines = [f"input: {case['shape'][0]}", "layers:"]
    for units, activation in zip(case["shape"][1:], case["activations"]):
        lines.append(f"  - {{units: {units}, activation: {activation}}}")
    optimizer = ", ".join(f"{k}: {v}" for k, v in case["optimizer"].items())
    reg = case["regularization"]
    lines += [
        f"loss: {case['loss']}",
        f"optimizer: {{{optimizer}}}",
        f"regularization: {{l2: {reg['l2']}, l1: {reg['l1']}}}",
        f"batch_size: {case['batch_size']}",
    ]
    if "class_weights" in case:
        weights = ", ".join(str(w) for w in case["class_weights"])
        lines.append(f"training: {{class_weights: [{weights}]}}")
    return "\n".join(lines) + "\n"


def within_tolerance(actual, expected):
    bound = TOLERANCE["absolute"] + TOLERANCE["relative"] * np.abs(expected)
    return np.abs(actual - expected) / bound


def verify():
    failed = False
    for directory in sorted(HERE.glob("case_*")):
        case = json.loads((directory / "case.json").read_text())
        init = load_file(directory / "init.safetensors")
        data = load_file(directory / "data.safetensors")
        stored = load_file(directory / "expected.safetensors")
        computed = run(case, init, data)
        usage = max(within_tolerance(computed[k], stored[k]).max() for k in stored)
        status = "ok" if usage <= 1 else "DIFFERS"
        failed |= usage > 1
        print(f"{directory.name}: {status} (largest difference {usage:.2e} of the tolerance)")
    sys.exit(1 if failed else 0)


def write(name):
    case = {"name": name, **CASES[name]}
    init, data = draw(case)
    expected = run(case, init, data)
    fd = finite_difference_error(case, init, data)
    assert fd < 1e-5, f"autograd against finite differences: {fd:e}"
    directory = HERE / name
    directory.mkdir(exist_ok=True)
    save_file(init, directory / "init.safetensors")
    save_file(data, directory / "data.safetensors")
    save_file(expected, directory / "expected.safetensors")
    (directory / "spec.yaml").write_text(spec_yaml(case))
    record = {
        **case,
        "tolerance": {**TOLERANCE, "rule": "|actual - expected| <= absolute + relative * |expected|, elementwise"},
        "reference": f"torch {torch.__version__}, float64 compute, float32 storage",
        "checks": {"fd_max_rel": fd},
        "generator": "tests/oracle/generate.py",
    }
    (directory / "case.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"{name}: written, finite differences agree to {fd:.1e}")


if __name__ == "__main__":
    if sys.argv[1:] == ["verify"]:
        verify()
    elif len(sys.argv) == 3 and sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        sys.exit(__doc__)
