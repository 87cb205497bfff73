//! What a path of the attribute that names no file may have meant: files of that name
//! elsewhere in the crate (a spec kept in `specs/`, named without it), or else the closest
//! name in the directory the path names (`net.yml` for `net.yaml`, a typo).

use std::path::{Path, PathBuf};

/// How many directories deep below the crate's the files of the same name are looked for.
const DEPTH: usize = 4;

/// How many files of the same name the hint lists.
const LISTED: usize = 3;

/// "did you mean `specs/net.yaml`?", relative to `root` as the attribute's paths are, if a
/// file seems meant by `written`.
pub(crate) fn hint(root: &Path, written: &str) -> Option<String> {
    let written = Path::new(written);
    let name = written.file_name()?.to_str()?;
    let mut same_name = Vec::new();
    find(root, Path::new(""), name, DEPTH, &mut same_name);
    same_name.sort_by_key(|path| (path.components().count(), path.clone()));
    let meant: Vec<PathBuf> = match same_name.is_empty() {
        false => same_name.into_iter().take(LISTED).collect(),
        true => {
            let directory = written.parent().unwrap_or(Path::new(""));
            let close = closest(&root.join(directory), name)?;
            vec![directory.join(close)]
        }
    };
    let quoted: Vec<String> = meant
        .iter()
        .map(|path| format!("`{}`", slashed(path)))
        .collect();
    Some(format!("did you mean {}?", quoted.join(" or ")))
}

/// Collects into `found` the files named `name` under `root.join(relative)`, as paths
/// relative to `root`, `depth` levels down at most; build output and hidden directories
/// are not looked into, nor are symbolic links followed.
fn find(root: &Path, relative: &Path, name: &str, depth: usize, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(relative)) else {
        return;
    };
    for entry in entries.flatten() {
        let (Ok(kind), Ok(entry_name)) = (entry.file_type(), entry.file_name().into_string())
        else {
            continue;
        };
        let path = relative.join(&entry_name);
        if kind.is_file() && entry_name == name {
            found.push(path);
        } else if kind.is_dir()
            && depth > 0
            && entry_name != "target"
            && !entry_name.starts_with('.')
        {
            find(root, &path, name, depth - 1, found);
        }
    }
}

/// The name of a file in `directory` close enough to `name` to be a typo of it.
fn closest(directory: &Path, name: &str) -> Option<String> {
    std::fs::read_dir(directory)
        .ok()?
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .map(|candidate| {
            (
                strsim::normalized_damerau_levenshtein(name, &candidate),
                candidate,
            )
        })
        .filter(|(score, _)| *score >= 0.75)
        // The closest, and of names as close the first in order, whatever the directory's.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(&a.1)))
        .map(|(_, candidate)| candidate)
}

/// A relative path as the attribute writes it, with `/` on every platform.
fn slashed(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_the_same_name_then_close_names_are_suggested() {
        let root = std::env::temp_dir().join(format!("mlp-missing-{}", std::process::id()));
        for dir in ["specs/old", "target/specs", ".git", "data"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "specs/net.yaml",
            "specs/old/net.yaml",
            "target/specs/net.yaml",
            ".git/net.yaml",
            "data/iris.yaml",
            "data/iris.csv",
        ] {
            std::fs::write(root.join(file), "").unwrap();
        }
        let hint = |written| hint(&root, written);
        assert_eq!(
            hint("net.yaml").as_deref(),
            Some("did you mean `specs/net.yaml` or `specs/old/net.yaml`?")
        );
        assert_eq!(
            hint("./nets/net.yaml").as_deref(),
            Some("did you mean `specs/net.yaml` or `specs/old/net.yaml`?")
        );
        assert_eq!(
            hint("data/iris.yml").as_deref(),
            Some("did you mean `data/iris.yaml`?")
        );
        assert_eq!(
            hint("data/irises.yaml").as_deref(),
            Some("did you mean `data/iris.yaml`?")
        );
        assert_eq!(hint("data/mnist.yaml"), None);
        assert_eq!(hint("nowhere/net2.yaml"), None);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
