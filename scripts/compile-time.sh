#!/usr/bin/env bash
# Measures what #[mlp] adds to a release build: the same small binary crate built with and
# without a network compiled from specs/mnist.yaml (784-128-10), dependencies prebuilt.
# Usage: scripts/compile-time.sh [runs]   (prints the median wall time of each variant)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cp "$root/specs/mnist.yaml" "$work/mnist.yaml"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "compile-time-probe"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
mlp-runtime = { path = "$root/mlp-runtime" }

[workspace]
TOML
with='use mlp_runtime::prelude::*;
#[mlp(spec = "mnist.yaml")]
struct Mnist;
fn main() {
    let net = Mnist::new();
    let mut ws = net.workspace();
    let mut grads = net.gradients();
    let x = vec![0.5f32; 784 * 32];
    let y = vec![0.1f32; 10 * 32];
    let loss = net.backward_slice(&mut ws, &x, &y, 32, grads.as_mut_slice());
    println!("{loss} {}", net.forward(&MnistInput::zeros())[0]);
}'
without='use mlp_runtime::prelude::*;
fn main() {
    let x = SVector::<f32, 4>::zeros();
    println!("{}", x[0]);
}'
export CARGO_TARGET_DIR="$work/target"
printf '%s\n' "$with" > "$work/src/main.rs"
cargo build --release --quiet --manifest-path "$work/Cargo.toml"
measure() {
    local label=$1 source=$2 times=()
    for _ in $(seq "$runs"); do
        printf '%s\n// %s\n' "$source" "$RANDOM" > "$work/src/main.rs"
        local start end
        start=$(date +%s.%N)
        cargo build --release --quiet --manifest-path "$work/Cargo.toml"
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '{a[NR]=$1} END {printf "%s: median %.2f s over %d builds (min %.2f, max %.2f)\n", label, a[int((NR+1)/2)], NR, a[1], a[NR]}'
}
measure "with the 784-128-10 network" "$with"
measure "without it                 " "$without"
