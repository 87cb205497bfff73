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
    "case_12": {
        "description": "batch norm in two relu hidden layers (BatchNorm1d after a bias-free Linear), cross-entropy, adam",
        "shape": [4, 8, 6, 3],
        "activations": ["relu", "relu", "softmax"],
        "extras": [{"batch_norm": True}, {"batch_norm": True}],
        "loss": "cross_entropy",
        "optimizer": {"kind": "adam", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08},
        "regularization": {"l2": 0.0, "l1": 0.0},
        "batch_size": 8,
        "steps": 5,
        "targets": "classes",
        "seed": 1512,
    },
    "case_13": {
        "description": "residual tanh hidden layers (a = x + tanh(z)), mse, sgd with momentum, l2",
        "shape": [5, 5, 5, 2],
        "activations": ["tanh", "tanh", "identity"],
        "extras": [{"residual": True}, {"residual": True}],
        "loss": "mse",
        "optimizer": {"kind": "momentum", "lr": 0.05, "momentum": 0.9},
        "regularization": {"l2": 0.001, "l1": 0.0},
        "batch_size": 6,
        "steps": 5,
        "targets": "normal",
        "seed": 1513,
    },
    "case_14": {
        "description": "batch norm and residual in one network (both on one layer), bce, adamw (decay on weights only)",
        "shape": [6, 6, 4, 1],
        "activations": ["elu", "relu", "sigmoid"],
        "extras": [{"batch_norm": True, "residual": True, "momentum": 0.2, "eps": 0.001}, {"batch_norm": True}],
        "loss": "bce",
        "optimizer": {"kind": "adamw", "lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-08, "weight_decay": 0.05},
        "regularization": {"l2": 0.0, "l1": 0.0},
        "batch_size": 8,
        "steps": 5,
        "targets": "classes",
        "seed": 1514,
    },
    "case_15": {
        "description": "dropout (given our masks) after batch norm and a residual layer, mse, sgd",
        "shape": [4, 6, 6, 2],
        "activations": ["relu", "tanh", "identity"],
        "extras": [{"batch_norm": True, "dropout": 0.3}, {"residual": True, "dropout": 0.5}],
        "loss": "mse",
        "optimizer": {"kind": "sgd", "lr": 0.1},
        "regularization": {"l2": 0.0, "l1": 0.0},
        "batch_size": 8,
        "steps": 5,
        "targets": "normal",
        "seed": 1515,
    },
}

# Dropout masks: the runtime's counter-based generator (mlp-runtime/src/layer/extras.rs),
# so that PyTorch runs with the masks the engines draw.
M64 = (1 << 64) - 1
STEP_STREAM = (1 << 23) - 1


def mix(seed, stream, index):
    counter = ((stream << 40) ^ index) & M64
    z = (seed + (counter + 1) * 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def trainer_mask_seed(seed):
    """The first eight bytes of the key of `ChaCha8Rng::seed_from_u64(seed)`, the trainer's
    generator (rand_core's PCG32 expansion of the seed), which seed its dropout masks."""
    state, key = seed, b""
    for _ in range(2):
        state = (state * 0x5851F42D4C957F2D + 0xA17654E46FBE17F3) & M64
        shifted = (((state >> 18) ^ state) >> 27) & 0xFFFFFFFF
        rot = state >> 59
        key += (((shifted >> rot) | (shifted << ((32 - rot) & 31))) & 0xFFFFFFFF).to_bytes(4, "little")
    return int.from_bytes(key, "little")


def step_seed(seed, step):
    """The seed of the masks of training step `step` of a run seeded with `seed`."""
    return mix(seed, STEP_STREAM, step)


def dropout_mask(seed, layer, samples, units, p):
    """Factors 0 or 1 / (1 - p), element (sample, unit) drawn at index sample * units + unit."""
    mask = torch.zeros((samples, units), dtype=torch.float64)
    for j in range(samples):
        for r in range(units):
            kept = (mix(seed, layer, j * units + r) >> 11) / float(1 << 53) >= p
            mask[j, r] = 1.0 / (1.0 - p) if kept else 0.0
    return mask


def extras_of(case, i):
    extras = case.get("extras", [])
    return extras[i] if i < len(extras) else {}


def is_linear_weight(name):
    """Penalties and weight decay reach the Linear weights only, not batch norm's scale."""
    return name.endswith(".weight") and ".norm." not in name

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


def forward(case, params, x, buffers=None, training=False, seed=0):
    """The output and the output layer's logits. Batch norm layers normalise with the batch
    (updating `buffers`, the running statistics, in place) when `training`, else with
    `buffers`; dropout applies the masks of `seed` when `training`."""
    a = x
    layers = len(case["activations"])
    for i, name in enumerate(case["activations"]):
        extras = extras_of(case, i)
        if extras.get("batch_norm"):
            u = a @ params[f"layers.{i}.weight"].T
            z = torch.nn.functional.batch_norm(
                u,
                buffers[f"layers.{i}.norm.running_mean"],
                buffers[f"layers.{i}.norm.running_var"],
                weight=params[f"layers.{i}.norm.weight"],
                bias=params[f"layers.{i}.norm.bias"],
                training=training,
                momentum=extras.get("momentum", 0.1),
                eps=extras.get("eps", 1e-5),
            )
        else:
            z = a @ params[f"layers.{i}.weight"].T + params[f"layers.{i}.bias"]
        if i == layers - 1:
            if name == "softmax":
                return torch.softmax(z, dim=1), z
            return ACTIVATIONS[name](z), z
        h = ACTIVATIONS[name](z)
        if extras.get("dropout") and training:
            h = h * dropout_mask(seed, i, h.shape[0], h.shape[1], extras["dropout"])
        a = a + h if extras.get("residual") else h
    raise AssertionError("a case has an output layer")


def objective(case, params, x, y, buffers=None, seed=0):
    """The training loss with the penalty `(l2 / 2) sum w^2 + l1 sum |w|` over the weights."""
    output, logits = forward(case, params, x, buffers, training=True, seed=seed)
    loss = loss_of(case["loss"], logits, output, y, case.get("class_weights"))
    reg = case["regularization"]
    for name, p in params.items():
        if is_linear_weight(name):
            loss = loss + 0.5 * reg["l2"] * (p**2).sum() + reg["l1"] * p.abs().sum()
    return loss


def split_buffers(init):
    """The trainable parameters and the running statistics of an init file, in float64."""
    params, buffers = {}, {}
    for k, v in init.items():
        target = buffers if k.endswith(("running_mean", "running_var")) else params
        target[k] = torch.tensor(v, dtype=torch.float64, requires_grad=target is params)
    return params, buffers


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
        weights = [p for name, p in params.items() if is_linear_weight(name)]
        biases = [p for name, p in params.items() if not is_linear_weight(name)]
        groups = [
            {"params": weights, "weight_decay": spec["weight_decay"]},
            {"params": biases, "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=spec["eps"])
    raise ValueError(f"no optimizer {kind}")


def run(case, init, data):
    """Every expected tensor of a case, as float32 arrays."""
    params, buffers = split_buffers(init)
    x = torch.tensor(data["x"], dtype=torch.float64)
    y = torch.tensor(data["y"], dtype=torch.float64)
    batch = case["batch_size"]
    steps = x.shape[0] // batch
    optimizer = optimizer_for(case, params)
    expected, losses = {}, []

    def state():
        return {**{k: p.detach().clone() for k, p in params.items()}, **{k: b.clone() for k, b in buffers.items()}}

    # The first batch, before training: the output in evaluation mode, and the training
    # loss and gradients of a pass whose masks have seed 0 (a new workspace's), which leaves
    # the running statistics as they are.
    xb, yb = x[:batch], y[:batch]
    expected["forward.out"] = forward(case, params, xb, buffers)[0].detach()
    scratch = {k: b.clone() for k, b in buffers.items()}
    loss = objective(case, params, xb, yb, scratch, seed=0)
    loss.backward()
    expected["loss0"] = torch.tensor([loss.item()])
    for name, p in params.items():
        expected[f"grad.{name}"] = p.grad.detach().clone()
    for name, b in buffers.items():
        expected[f"grad.{name}"] = torch.zeros_like(b)
    # The trainer's steps: step k's masks have the seed step_seed(trainer_mask_seed(0), k)
    # (the spec's seed is 0).
    for step in range(steps):
        xb, yb = x[step * batch : (step + 1) * batch], y[step * batch : (step + 1) * batch]
        optimizer.zero_grad()
        loss = objective(case, params, xb, yb, buffers, seed=step_seed(trainer_mask_seed(0), step))
        loss.backward()
        losses.append(loss.item())
        optimizer.step()
        if step == 0:
            for name, value in state().items():
                expected[f"step1.{name}"] = value
    for name, value in state().items():
        expected[f"final.{name}"] = value
    expected["losses"] = torch.tensor(losses)
    return {k: v.numpy().astype(np.float32) for k, v in expected.items()}


def finite_difference_error(case, init, data):
    """The largest relative error of the first batch's gradient against central differences."""
    params, buffers = split_buffers(init)
    batch = case["batch_size"]
    x = torch.tensor(data["x"][:batch], dtype=torch.float64)
    y = torch.tensor(data["y"][:batch], dtype=torch.float64)

    def loss():
        return objective(case, params, x, y, {k: b.clone() for k, b in buffers.items()})

    loss().backward()
    worst, h = 0.0, 1e-6
    with torch.no_grad():
        for p in params.values():
            flat = p.view(-1)
            for k in range(flat.numel()):
                saved = flat[k].item()
                flat[k] = saved + h
                up = loss().item()
                flat[k] = saved - h
                down = loss().item()
                flat[k] = saved
                numeric = (up - down) / (2 * h)
                analytic = p.grad.view(-1)[k].item()
                worst = max(worst, abs(numeric - analytic) / max(1e-8, abs(numeric), abs(analytic)))
    return worst


def draw(case):
    """Initial parameters (as `torch.nn.Linear` draws them, biases random too; batch norm's
    scale, shift and running statistics random around their usual start) and data."""
    generator = torch.Generator().manual_seed(case["seed"])
    shape, init = case["shape"], {}

    def uniform(size, low, high):
        values = low + (high - low) * torch.rand(size, generator=generator, dtype=torch.float64)
        return values.numpy().astype(np.float32)

    for i, (fan_in, fan_out) in enumerate(zip(shape, shape[1:])):
        bound = 1 / math.sqrt(fan_in)
        init[f"layers.{i}.weight"] = uniform((fan_out, fan_in), -bound, bound)
        if extras_of(case, i).get("batch_norm"):
            init[f"layers.{i}.norm.weight"] = uniform((fan_out,), 0.5, 1.5)
            init[f"layers.{i}.norm.bias"] = uniform((fan_out,), -0.5, 0.5)
            init[f"layers.{i}.norm.running_mean"] = uniform((fan_out,), -0.5, 0.5)
            init[f"layers.{i}.norm.running_var"] = uniform((fan_out,), 0.5, 2.0)
        else:
            init[f"layers.{i}.bias"] = uniform((fan_out,), -bound, bound)
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
    for i, (units, activation) in enumerate(zip(case["shape"][1:], case["activations"])):
        keys = [f"units: {units}", f"activation: {activation}"]
        extras = extras_of(case, i)
        if extras.get("batch_norm"):
            constants = {k: extras[k] for k in ("eps", "momentum") if k in extras}
            if constants:
                inner = ", ".join(f"{k}: {v}" for k, v in constants.items())
                keys.append(f"batch_norm: {{{inner}}}")
            else:
                keys.append("batch_norm: true")
        if extras.get("residual"):
            keys.append("residual: true")
        if extras.get("dropout"):
            keys.append(f"dropout: {extras['dropout']}")
        lines.append(f"  - {{{', '.join(keys)}}}")
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
