//! Compile-fail and compile-pass tests of `#[mlp]`, with trybuild: the cases are the
//! repository's `tests/ui/*.rs` (each with its `.stderr` snapshot and its own specs) and
//! `tests/pass/*.rs`, and name their specs from the repository's root.
//!
//! They run from this crate, not from the `mlp` facade: trybuild builds its scratch crate
//! with every dev-dependency of the crate whose test it is. From the facade that meant tract,
//! criterion and the rest too, and the test took 307 s on 2 cores with the scratch crate cold;
//! from here (`mlp-runtime` and trybuild), 135 s; 119 s against 131 s once `mlp-runtime`
//! came without its `plot` and `onnx` features (see this crate's `Cargo.toml`).
//!
//! trybuild builds each case in a scratch crate of its own, so `CARGO_MANIFEST_DIR` is not
//! the repository there (dtolnay/trybuild#202); the macro's `MLP_SPEC_ROOT` override points it
//! at the repository root instead. Setting a variable in this process is unsafe since edition
//! 2024 (other threads may read the environment), so the test runs itself again as a child
//! process with the variable set. Snapshots track rustc 1.95; regenerate them with
//! `TRYBUILD=overwrite cargo test -p mlp-macros --test ui` and review the diff. The cases lie
//! outside this crate, so trybuild writes a changed snapshot's paths as `$WORKSPACE/...`
//! without line numbers; it also accepts `$DIR/case.rs:line:column`, which the snapshots
//! keep wherever every path is the case's own file.

use std::path::Path;
use std::process::Command;

#[test]
fn ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("mlp-macros sits in the repository");
    if std::env::var_os("MLP_SPEC_ROOT").is_some() {
        let cases = trybuild::TestCases::new();
        cases.compile_fail(root.join("tests/ui/*.rs"));
        cases.pass(root.join("tests/pass/*.rs"));
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let status = Command::new(exe)
        .args(["ui", "--exact", "--nocapture", "--test-threads=1"])
        .env("MLP_SPEC_ROOT", root)
        .status()
        .expect("run the UI tests in a child process");
    assert!(status.success(), "UI tests failed (see above)");
}
