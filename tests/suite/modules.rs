//! No module of a crate depends, directly or through others, on a sibling that depends back on
//! it. A module depends on
//! another when its source names it (`crate::a::...`, `super::a`, `use crate::{a, ...}`);
//! modules nested in a common parent are compared as the parent's children, and a module's
//! uses of its own ancestors or descendants do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every module of the crate whose sources are in `src`, with its source text.
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Module = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            found.insert(module, std::fs::read_to_string(&path).unwrap());
        }
    }
    found
}

/// The module paths `source` (of module `at`) names, without comments.
fn references(source: &str, at: &Module) -> Vec<Module> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '{'))
        .filter(|w| !w.is_empty())
        .collect();
    for word in words {
        let mut parts: Vec<&str> = word.split("::").filter(|p| !p.is_empty()).collect();
        let base: Module = match parts.first() {
            Some(&"crate") => Vec::new(),
            Some(&"super") => {
                let ups = parts.iter().take_while(|p| **p == "super").count();
                parts.drain(..ups - 1);
                at[..at.len().saturating_sub(ups)].to_vec()
            }
            _ => continue,
        };
        let rest: Vec<String> = parts[1..]
            .iter()
            .map(|p| p.trim_start_matches('{').to_owned())
            .filter(|p| !p.is_empty())
            .collect();
        let mut module = base;
        module.extend(rest);
        found.push(module);
    }
    // `use crate::{a, b}` and `use super::{a, b}`: each name in the braces.
    for (prefix, base) in [
        ("use crate::{", Vec::new()),
        ("use super::{", at[..at.len().saturating_sub(1)].to_vec()),
    ] {
        for group in code.split(prefix).skip(1) {
            let inside = group.split('}').next().unwrap_or("");
            for name in inside.split(',') {
                let name = name.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() && name.chars().all(|c| c.is_lowercase() || c == '_') {
                    let mut module = base.clone();
                    module.push(name.to_owned());
                    found.push(module);
                }
            }
        }
    }
    found
}

/// The cycles between sibling modules of the crate in `src`.
fn cycles(src: &Path) -> Vec<String> {
    let modules = modules(src);
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, source) in &modules {
        for named in references(source, module) {
            let Some(target) = (1..=named.len())
                .rev()
                .map(|k| named[..k].to_vec())
                .find(|prefix| modules.contains_key(prefix))
            else {
                continue;
            };
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common == module.len() || common == target.len() {
                continue;
            }
            let from = module[..=common].to_vec();
            edges
                .entry(from)
                .or_default()
                .insert(target[..=common].to_vec());
        }
    }
    // A module is on a cycle when it can reach itself.
    let mut found = Vec::new();
    for start in edges.keys() {
        let mut stack = vec![vec![start.clone()]];
        let mut seen = BTreeSet::new();
        while let Some(path) = stack.pop() {
            let last = path.last().expect("a path has a module");
            for next in edges.get(last).into_iter().flatten() {
                if next == start {
                    let names: Vec<String> = path.iter().map(|m| m.join("::")).collect();
                    found.push(format!("{} -> {}", names.join(" -> "), start.join("::")));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    found
}

#[test]
fn no_module_depends_on_a_sibling_that_depends_back_on_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for krate in ["mlp-spec", "mlp-codegen", "mlp-macros", "mlp-runtime", "."] {
        let src = root.join(krate).join("src");
        all.extend(cycles(&src).into_iter().map(|c| format!("{krate}: {c}")));
    }
    assert!(all.is_empty(), "module cycles: {all:#?}");
}

#[test]
fn the_check_finds_a_cycle() {
    let scratch = tempfile::Builder::new()
        .prefix("mlp-module-cycle-")
        .tempdir()
        .unwrap();
    let dir = scratch.path();
    std::fs::write(dir.join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(dir.join("a.rs"), "use crate::b::B;\npub struct A;\n").unwrap();
    std::fs::write(dir.join("b.rs"), "use super::a::A;\npub struct B;\n").unwrap();
    assert_eq!(cycles(dir), ["a -> b -> a", "b -> a -> b"]);
    std::fs::write(dir.join("b.rs"), "pub struct B;\n").unwrap();
    assert!(cycles(dir).is_empty());
}
