#!/usr/bin/env python3
"""Prints BENCHMARKS.md's "Peers" section from the measurements scripts/peer_bench records in
benches/peers.jsonl: one JSON line per measurement (peer, network, batch, measurement,
samples_per_s) and one `{"meta": ...}` line with the peers' versions and compiler flags.

Usage: scripts/peers_table.py [benches/peers.jsonl]
"""
import json, sys
from collections import defaultdict

def fmt(x):
    return f"{x/1e6:.2f} M" if x >= 1e6 else f"{x/1e3:.1f} k"

def read(path):
    """The rates of each (measurement, network, batch, peer, variant), one per round, and the
    meta line. A variant (of ours only) names what differs from the peer's network."""
    rates, meta = defaultdict(list), {}
    for line in open(path):
        record = json.loads(line)
        if "meta" in record:
            meta = record["meta"]
            continue
        key = (record["measurement"], record["network"], record["batch"], record["peer"],
               record.get("variant", ""))
        rates[key].append(record["samples_per_s"])
    return rates, meta

def section(path):
    rates, meta = read(path)
    rtneural = (f"RTNeural (`ModelT`, Eigen backend, random weights, 16 cycled inputs; "
                f"`scripts/peers/rtneural_infer.cpp`) built with `g++ {meta.get('rtneural_flags', '?')}` "
                f"({meta.get('gxx', '?')}), Eigen {meta.get('eigen', '?')}."
                if "rtneural_flags" in meta else "RTNeural was not measured in this run.")
    out = ["## Peers: JAX/XLA and RTNeural", "",
           "`scripts/peer_bench /path/to/RTNeural` (not run in CI, nor by `scripts/benchmarks.sh`; it",
           "records `benches/peers.jsonl`, which this section is made from), "
           f"{meta.get('rounds', '?')} rounds; in each, a peer's",
           "run and then ours, one core each (`taskset -c 0`), except the row of 784-128-10 \"on two",
           "threads\": ours on two cores (`taskset -c 0,1`) against RTNeural's one, a `Predictor`",
           "whose threads share out the first layer's product (`infer/mnist/batch1/predictor_two_threads`).",
           "Ours: the compiled engine's criterion",
           "benches (`train/mnist/batch{1,32}/static`; `train/mnist/batch1/online`, the same steps in an",
           "on-line session, `Trainer::online`; `infer/{xor,iris,digits,mnist}/batch1/static`,",
           "which cycle through 16 inputs as RTNeural's runs do; `infer/xor_fast_tanh/batch1/static`,",
           "2-8-1 with `fast_tanh` (Eigen's `tanh`, which RTNeural's layer computes) and the exact",
           "sigmoid, the functions RTNeural's 2-8-1 computes (its sigmoid is `1 / (1 + expf(-x))`);",
           "and `infer/xor_fast/batch1/static`, with `fast_tanh` and `fast_sigmoid`, a sigmoid from",
           "Eigen's `tanh`, less exact where its value is small; release profile, built with "
           f"`RUSTFLAGS=\"{meta.get('ours_rustflags', '?')}\"`, the instruction set",
           "RTNeural is built for, so that the activations, exact and fast, fuse their multiply-adds;",
           "AVX-512 kernels for the one-sample product and SGD step of layers",
           "of 64 units or more where the CPU has it, picked at run time; `RTNEURAL_MARCH=x86-64-v4`",
           "builds both for AVX-512). "
           f"JAX {meta.get('jax', '?')}: jit, `lax.scan` over the steps, plain",
           "SGD, softmax cross-entropy, the benches' kind of data, one thread",
           "(`scripts/peers/jax_train.py`). " + rtneural,
           "Rates of each round, in order; the machine drifts, so read single ratios with care.", "",
           "| measurement | network | batch | peer | peer samples/s | mlp samples/s | mlp / peer (per round) |",
           "|---|---|---:|---|---:|---:|---:|"]
    for (measurement, network, batch, peer, _), theirs in sorted(rates.items()):
        if peer == "mlp":
            continue
        variants = sorted(v for (m, n, b, p, v) in rates
                          if (m, n, b, p) == (measurement, network, batch, "mlp"))
        for variant in variants:
            mine = rates[(measurement, network, batch, "mlp", variant)]
            ratios = ", ".join(f"{m / t:.2f}x" for m, t in zip(mine, theirs))
            name = f"{network} (ours: {variant})" if variant else network
            out.append(f"| {measurement} | {name} | {batch} | {peer} | "
                       f"{' / '.join(fmt(t) for t in theirs)} | {' / '.join(fmt(m) for m in mine)} | {ratios} |")
    return out

if __name__ == "__main__":
    print("\n".join(section(sys.argv[1] if len(sys.argv) > 1 else "benches/peers.jsonl")))
