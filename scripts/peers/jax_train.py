"""JAX/XLA's training rate for the networks of benches/specs/*.yaml: jit-compiled SGD steps,
`lax.scan` over the batches so that Python runs once per measurement, on one core.

Same network (dense layers, ReLU hidden, softmax + cross-entropy), same optimizer (plain SGD,
lr 0.01), same kind of data (16 batches of inputs in [-1, 1) and random one-hot labels,
cycled) as `benches/engines.rs`. Prints one JSON line per measurement: samples per second,
the median of REPEATS timed calls of STEPS steps each.

Usage: python3 jax_train.py SIZES BATCH [STEPS]   (SIZES as 784-128-10)
One core: run under `taskset -c 0` with XLA_FLAGS set as scripts/peer_bench does.
"""

import json
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

sizes = [int(s) for s in sys.argv[1].split("-")]
batch = int(sys.argv[2])
steps = int(sys.argv[3]) if len(sys.argv) > 3 else max(256, 65536 // batch)
REPEATS = 15
BATCHES = 16
LR = 0.01

rng = np.random.default_rng(42)
params = []
for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
    bound = (6.0 / fan_in) ** 0.5 / 2
    params.append((jnp.asarray(rng.uniform(-bound, bound, (fan_out, fan_in)), jnp.float32),
                   jnp.zeros((fan_out,), jnp.float32)))
xs = jnp.asarray(rng.uniform(-1, 1, (BATCHES, batch, sizes[0])), jnp.float32)
labels = rng.integers(0, sizes[-1], (BATCHES, batch))
ys = jnp.asarray(np.eye(sizes[-1], dtype=np.float32)[labels])


def loss(params, x, y):
    h = x
    for w, b in params[:-1]:
        h = jax.nn.relu(h @ w.T + b)
    w, b = params[-1]
    logits = h @ w.T + b
    return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(logits), axis=-1))


def step(params, batch_index):
    x, y = xs[batch_index % BATCHES], ys[batch_index % BATCHES]
    grads = jax.grad(loss)(params, x, y)
    return jax.tree_util.tree_map(lambda p, g: p - LR * g, params, grads), None


@jax.jit
def run(params):
    params, _ = jax.lax.scan(step, params, jnp.arange(steps))
    return params


params = jax.block_until_ready(run(params))  # compile and warm up
times = []
for _ in range(REPEATS):
    start = time.perf_counter()
    params = jax.block_until_ready(run(params))
    times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({
    "peer": "jax", "jax": jax.__version__, "network": sys.argv[1], "batch": batch,
    "measurement": "train", "samples_per_s": steps * batch / times[REPEATS // 2],
}))
