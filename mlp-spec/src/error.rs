//! Spec errors: a message, a fix, and where in the YAML file the problem is.

use std::fmt;

/// A 1-based line and column in the spec file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Line, starting at 1.
    pub line: usize,
    /// Column, starting at 1.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// Where the problem is, when it can be pinned to a place in the file.
    pub location: Option<Location>,
    /// What is wrong, in lowercase, without a trailing period.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl SpecError {
    /// Renders the error with the spec file's name in front, as `FILE:LINE:COL: message`,
    /// followed by an indented `help:` line when there is one.
    pub fn render(&self, file: &str) -> String {
        let mut out = match self.location {
            Some(location) => format!("{file}:{location}: {}", self.message),
            None => format!("{file}: {}", self.message),
        };
        if let Some(help) = &self.help {
            out.push_str("\n  help: ");
            out.push_str(help);
        }
        out
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = self.location {
            write!(f, "{location}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// Every problem found in a spec, in the order they appear in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecErrors {
    errors: Vec<SpecError>,
}

impl SpecErrors {
    pub(crate) fn new(mut errors: Vec<SpecError>) -> Self {
        // Stable sort keeps the discovery order for errors at the same place.
        errors.sort_by_key(|error| error.location);
        SpecErrors { errors }
    }

    /// The individual errors.
    pub fn errors(&self) -> &[SpecError] {
        &self.errors
    }

    /// Renders every error with the spec file's name in front, one paragraph each.
    pub fn render(&self, file: &str) -> String {
        let rendered: Vec<String> = self.errors.iter().map(|e| e.render(file)).collect();
        rendered.join("\n")
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

impl IntoIterator for SpecErrors {
    type Item = SpecError;
    type IntoIter = std::vec::IntoIter<SpecError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}
