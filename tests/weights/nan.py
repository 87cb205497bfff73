"""Writes iris-nan.safetensors: iris.safetensors with `layers.0.weight[3, 1]` set to NaN, the
checkpoint of a run that diverged, for the `weights-not-finite` compile-error case.

    python3 tests/weights/nan.py

Only the standard library: a safetensors file is an 8-byte little-endian header length, the
JSON header (each tensor's dtype, shape and byte range), then the tensors' bytes.
"""

import json
import math
import pathlib
import struct

here = pathlib.Path(__file__).parent
data = bytearray((here / "iris.safetensors").read_bytes())
(length,) = struct.unpack_from("<Q", data, 0)
header = json.loads(data[8 : 8 + length])
tensor = header["layers.0.weight"]
assert tensor["dtype"] == "F32", tensor
rows, cols = tensor["shape"]
start = 8 + length + tensor["data_offsets"][0]
struct.pack_into("<f", data, start + 4 * (3 * cols + 1), math.nan)
(here / "iris-nan.safetensors").write_bytes(bytes(data))
