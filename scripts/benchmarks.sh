#!/usr/bin/env bash
# Runs the engine benchmarks (criterion, then the interleaved ratios) and writes BENCHMARKS.md.
# Usage: scripts/benchmarks.sh   (takes about five minutes on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo bench --bench engines -- --noplot >/dev/null 2>&1
cargo bench --bench ratios >/dev/null 2>&1
compile_time=$(scripts/compile-time.sh 3)
python3 scripts/benchmarks_table.py "$compile_time"
