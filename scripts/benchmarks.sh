#!/usr/bin/env bash
# Runs the engine benchmarks and writes BENCHMARKS.md from criterion's estimates.
# Usage: scripts/benchmarks.sh   (takes about two minutes on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo bench --bench engines -- --noplot >/dev/null 2>&1
compile_time=$(scripts/compile-time.sh 3)
python3 scripts/benchmarks_table.py "$compile_time"
