//! Compile-fail and compile-pass tests of `#[mlp]`, with trybuild.
//!
//! trybuild builds each case in a scratch crate of its own, so `CARGO_MANIFEST_DIR` is not
//! this directory there (dtolnay/trybuild#202); the macro's `MLP_SPEC_ROOT` override points it
//! at the repository root instead. Setting a variable in this process is unsafe since edition
//! 2024 (other threads may read the environment), so the test runs itself again as a child
//! process with the variable set. Snapshots track rustc 1.95; regenerate them with
//! `TRYBUILD=overwrite cargo test --test ui` and review the diff.

use std::process::Command;

#[test]
fn ui() {
    if std::env::var_os("MLP_SPEC_ROOT").is_some() {
        let cases = trybuild::TestCases::new();
        cases.compile_fail("tests/ui/*.rs");
        cases.pass("tests/pass/*.rs");
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let status = Command::new(exe)
        .args(["ui", "--exact", "--nocapture", "--test-threads=1"])
        .env("MLP_SPEC_ROOT", env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run the UI tests in a child process");
    assert!(status.success(), "UI tests failed (see above)");
}
