//! The files a command will write, checked before it reads or trains anything: writing one
//! of its own inputs would destroy it (`mlp train --out iris.csv` replaced the data with the
//! checkpoint), and a directory in a file's place would fail only at the end, after the
//! training or the search the error then loses.

use std::path::Path;

/// What a command's `option` (given as `given`) makes it write: each file with what it
/// holds, such as `("the checkpoint", model.safetensors)`.
pub(crate) struct Written<'a> {
    /// The command-line option that names the files (`--out`).
    pub(crate) option: &'static str,
    /// The option's value.
    pub(crate) given: &'a Path,
    /// Each file, with what it holds.
    pub(crate) files: &'a [(&'static str, &'a Path)],
}

impl Written<'_> {
    /// Refuses files that are one of `inputs` (each with what it is, such as `("the data",
    /// iris.csv)`), an existing directory, or a path that ends in a separator.
    pub(crate) fn check(&self, inputs: &[(&str, &Path)]) -> Result<(), String> {
        let (option, given) = (self.option, self.given.display());
        for &(what, path) in self.files {
            // `out/` names a directory even before it exists, and writing a file there
            // fails only at the end, after the training.
            let names_directory = path
                .as_os_str()
                .to_str()
                .and_then(|s| s.chars().last())
                .is_some_and(std::path::is_separator);
            if names_directory || path.is_dir() {
                return Err(format!(
                    "{option} {given}: {} is a directory, where {what} would be written; give \
                     {option} a file's path",
                    path.display()
                ));
            }
            for &(input, read) in inputs {
                // A file that does not exist yet is no input's: the error reads as "no".
                if same_file::is_same_file(path, read).unwrap_or(false) {
                    return Err(format!(
                        "{option} {given}: {what} would be written over {input}, {}; give \
                         {option} another path",
                        read.display()
                    ));
                }
            }
        }
        Ok(())
    }
}
