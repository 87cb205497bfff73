//! Golden expansion tests: for every spec in the workspace's `specs/`, the generated code,
//! pretty-printed, must equal `tests/expand/<name>.expanded.rs`. Any change to code
//! generation shows up as a readable diff here; after reviewing it, rewrite the files with
//! `MLP_BLESS=1 cargo test -p mlp-codegen golden`.

use std::path::{Path, PathBuf};

use quote::format_ident;

use crate as codegen;

fn camel_case(stem: &str) -> String {
    stem.split(['-', '_'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn expand(spec_path: &Path, written: &str) -> String {
    let source = std::fs::read_to_string(spec_path).expect("read the spec");
    let spec = mlp_spec::parse(&source).unwrap_or_else(|e| panic!("{written}:\n{e}"));
    let stem = spec_path.file_stem().unwrap().to_string_lossy();
    let name = format_ident!("{}", camel_case(&stem));
    let item: syn::DeriveInput = syn::parse_quote! {
        /// A network compiled from a spec.
        pub struct #name;
    };
    // The spec's path as written, not the absolute path, so the output is the same on every
    // machine.
    let tokens = codegen::generate(&item, &spec, written, None, true);
    let file: syn::File = syn::parse2(tokens).expect("generated code parses as a file");
    prettyplease::unparse(&file)
}

#[test]
fn generated_code_matches_the_golden_files() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let specs = crate_dir.join("../specs");
    let golden_dir = crate_dir.join("tests/expand");
    let bless = std::env::var_os("MLP_BLESS").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&specs)
        .expect("the workspace's specs/ directory")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no specs found in {}", specs.display());
    let mut stale = Vec::new();
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let expanded = expand(&path, &format!("specs/{stem}.yaml"));
        let golden = golden_dir.join(format!("{stem}.expanded.rs"));
        if bless {
            std::fs::create_dir_all(&golden_dir).expect("create tests/expand");
            std::fs::write(&golden, &expanded).expect("write the golden file");
        } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(expanded.as_str()) {
            stale.push(stem);
        }
    }
    assert!(
        stale.is_empty(),
        "generated code differs from tests/expand for {stale:?}; review the change and \
         rerun with MLP_BLESS=1 to accept it"
    );
}

/// Generated code keeps only what the spec decides: short, and unrolled over layers.
#[test]
fn generated_code_is_short_and_has_no_loop() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // 784-128-10 also has the one-sample forward pass of a prediction on threads.
    for (spec, most) in [("xor", 320), ("mnist", 350)] {
        let written = format!("specs/{spec}.yaml");
        let expanded = expand(&crate_dir.join("..").join(&written), &written);
        let lines = expanded.lines().count();
        assert!(lines <= most, "{spec}: {lines} lines, at most {most}");
        let loops = expanded.lines().map(str::trim_start).filter(|line| {
            ["for ", "while ", "loop {"]
                .iter()
                .any(|keyword| line.starts_with(keyword))
        });
        assert_eq!(loops.count(), 0, "{spec}: no loop in generated code");
    }
}

#[test]
fn generated_code_size_does_not_grow_with_layer_width() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let specs = crate_dir.join("../benches/specs");
    let xor = expand(&specs.join("xor.yaml"), "benches/specs/xor.yaml");
    let mnist = expand(&specs.join("mnist.yaml"), "benches/specs/mnist.yaml");
    // Same depth (two layers) and optimizer, 2-8-1 against 784-128-10: only constants
    // differ, so the expansions have about the same length, once 784-128-10's one-sample
    // forward passes for on-line sessions and for predictions on threads (its first layer is
    // larger than L1) are left out.
    let mut mnist = mnist;
    for method in ["fn forward_held(", "fn forward_shared("] {
        let start = mnist
            .find(method)
            .unwrap_or_else(|| panic!("784-128-10 has `{method}`"));
        let end = start
            + mnist[start..]
                .find("\n        }\n")
                .expect("the method's end");
        mnist = format!("{}{}", &mnist[..start], &mnist[end..]);
        assert!(!xor.contains(method), "2-8-1's first layer fits L1");
    }
    let ratio = mnist.len() as f64 / xor.len() as f64;
    assert!(
        (0.9..1.1).contains(&ratio),
        "xor {} bytes, mnist {} bytes",
        xor.len(),
        mnist.len()
    );
}
