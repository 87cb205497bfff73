#!/usr/bin/env bash
# Measures this checkout's engines against another build of the project, in turns in one
# process: for every bench network (benches/specs), training at batch 1 and 32 and inference
# at batch 1, static and dynamic, the geometric mean over 8 fresh instances of
# (new samples/s / old samples/s), each the median of 31 rounds of 10 ms turns.
#
# Usage: scripts/ab_bench.sh OLD_CHECKOUT [NETWORK...]
#   OLD_CHECKOUT: a checkout of the build to compare with, e.g. made by
#                 `git worktree add /tmp/mlp-old HEAD~1`. It is copied, not modified.
#   NETWORK: only networks whose name contains one of these (xor, iris, ...).
# Builds in ${AB_DIR:-/tmp/mlp-ab}; takes about 3 minutes for every network on 2 cores.
# `runner --profile old|new NETWORK train1|train32|infer1 static|dynamic SECONDS` in
# $AB_DIR/ab/target/release runs one of them alone, for perf or callgrind.
set -euo pipefail
[ $# -ge 1 ] || { sed -n 2,13p "$0"; exit 2; }
old=$(cd "$1" && pwd)
shift
new=$(cd "$(dirname "$0")/.." && pwd)
dir=${AB_DIR:-/tmp/mlp-ab}
rm -rf "$dir"
mkdir -p "$dir/ab"

# The old build's crates, renamed (mlp-spec -> mlp-spec-old, ...) so that both builds link
# into one binary; its code still names them mlp_spec, ... through renamed dependencies.
mkdir -p "$dir/old"
(cd "$old" && tar --exclude=./target --exclude=./.git -cf - .) | (cd "$dir/old" && tar -xf -)
for crate in mlp-spec mlp-codegen mlp-macros mlp-runtime; do
    sed -i "s/^name = \"$crate\"/name = \"$crate-old\"/" "$dir/old/$crate/Cargo.toml"
    sed -i "s|^$crate = { path|$crate = { package = \"$crate-old\", path|" "$dir/old/Cargo.toml"
done

trait_of() {
    if grep -q "pub trait StaticModel" -r "$1/mlp-runtime/src"; then echo StaticModel; else echo Network; fi
}
for side in old new; do
    root=$([ $side = old ] && echo "$dir/old" || echo "$new")
    package=$([ $side = old ] && echo ', package = "mlp-runtime-old"' || echo "")
    mkdir -p "$dir/ab/${side}_nets/src"
    cp -r "$new/benches/specs" "$dir/ab/${side}_nets/specs"
    sed "s/__STATIC_TRAIT__/$(trait_of "$root")/" "$new/scripts/ab/nets.rs" >"$dir/ab/${side}_nets/src/lib.rs"
    cp "$new/benches/common/data.rs" "$dir/ab/${side}_nets/src/data.rs"
    cat >"$dir/ab/${side}_nets/Cargo.toml" <<TOML
[package]
name = "${side}_nets"
version = "0.1.0"
edition = "2024"

[dependencies]
mlp-runtime = { path = "$root/mlp-runtime"$package }
TOML
done
mkdir -p "$dir/ab/runner/src"
cp "$new/scripts/ab/runner.rs" "$dir/ab/runner/src/main.rs"
cp "$new/benches/common/turns.rs" "$dir/ab/runner/src/turns.rs"
cat >"$dir/ab/runner/Cargo.toml" <<TOML
[package]
name = "runner"
version = "0.1.0"
edition = "2024"

[dependencies]
old_nets = { path = "../old_nets" }
new_nets = { path = "../new_nets" }
TOML
cat >"$dir/ab/Cargo.toml" <<TOML
[workspace]
members = ["old_nets", "new_nets", "runner"]
resolver = "3"

[profile.release]
debug = 1
TOML
(cd "$dir/ab" && cargo build --release --quiet)
"$dir/ab/target/release/runner" "$@"
