//! Errors of data loading, each naming where the problem is.

use std::path::PathBuf;

/// A problem with input data.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be read.
    #[error("cannot read data file {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The CSV structure is broken (for example an unterminated quote).
    #[error("{}: malformed CSV near line {line}: {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// What the parser said.
        message: String,
    },
    /// A cell is not UTF-8 text: the file was saved in another encoding (Excel's "CSV
    /// (Comma delimited)" writes the Windows code page), or is not a CSV file at all.
    #[error(
        "{}:{line}: {column} is not UTF-8 text; save the file as UTF-8 (in Excel, as \
         \"CSV UTF-8\"), or convert it, for example with `iconv -f windows-1252 -t utf-8`; \
         a binary file such as a checkpoint is not data",
        path.display()
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
    },
    /// The file is UTF-16 text (it starts with UTF-16's byte order mark).
    #[error(
        "{}: the file is UTF-16 text, as Excel's \"Unicode Text\" saves it; save it as \
         \"CSV UTF-8\", or convert it, for example with `iconv -f utf-16 -t utf-8`",
        path.display()
    )]
    Utf16 {
        /// The file.
        path: PathBuf,
    },
    /// A row has the wrong number of columns.
    #[error(
        "{}:{line}: expected {expected} columns ({}{targets}), found {found}",
        path.display(),
        mlp_spec::counted(*features, "feature")
    )]
    ColumnCount {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The columns expected.
        expected: usize,
        /// The network's input features.
        features: usize,
        /// What follows the features: ` and a label column`, ` and 3 target columns`, or
        /// nothing.
        targets: String,
        /// The columns found.
        found: usize,
    },
    /// A cell is not a number.
    #[error(
        "{}:{line}: {column} is not a number: `{}`{}",
        path.display(),
        visible(value),
        boolean_hint(value)
    )]
    NotANumber {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
        /// The cell.
        value: String,
    },
    /// A cell holds no value: it is empty, or a marker of a missing value such as `NA`.
    #[error(
        "{}:{line}: {column} has no value (`{}`); remove the row, or fill in the value \
         (with the column's mean or median, as scikit-learn's `SimpleImputer` does)",
        path.display(),
        visible(value)
    )]
    Missing {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
        /// The cell.
        value: String,
    },
    /// A cell is infinite (a NaN is a missing value, [`DataError::Missing`], as in pandas).
    #[error(
        "{}:{line}: {column} is not finite: `{value}`; remove the row, or replace the value \
         with a finite one",
        path.display()
    )]
    NotFinite {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
        /// The cell.
        value: String,
    },
    /// A value given in slices is NaN or infinite.
    #[error(
        "sample {sample} (from 0) has {value} as its {what} {index} (from 0); remove the \
         sample, or fill in the value"
    )]
    NotFiniteSample {
        /// `input` or `target`.
        what: &'static str,
        /// The sample, from 0.
        sample: usize,
        /// The input or target within the sample, from 0.
        index: usize,
        /// The value.
        value: String,
    },
    /// A value beyond the range of `f32` (the only precision a finite `f64` can overflow),
    /// which would be infinite in the network.
    #[error(
        "{}:{line}: {column}: value {value} is beyond the range of f32 (about +/-3.4e38); \
         rescale the column, or use a network of `precision: f64`",
        path.display()
    )]
    OutOfRange {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
        /// The cell.
        value: String,
    },
    /// A class label is not one of the classes.
    #[error(
        "{}:{line}: {column}: class label `{}` is not one of 0..={max}",
        path.display(),
        visible(value)
    )]
    Label {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
        /// The cell.
        value: String,
        /// The largest valid label.
        max: usize,
    },
    /// A class name is not one of the model's classes.
    #[error(
        "{}:{line}: {column}: class `{}` is not one of the model's classes: {names}",
        path.display(),
        visible(value)
    )]
    UnknownClass {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
        /// The cell.
        value: String,
        /// The known names, in class order.
        names: String,
    },
    /// The label column names another number of classes than the network has. Names are
    /// numbered in sorted order, so they must all occur: with one missing, the names after it
    /// would take its number.
    #[error(
        "{}: {column} names {} ({}), but the network has {classes}; {}",
        path.display(),
        mlp_spec::counted(names.len(), "class"),
        names.join(", "),
        if names.len() > *classes {
            "give the last layer one unit per class".to_owned()
        } else {
            format!(
                "class names are numbered in sorted order, so each must occur in the file: \
                 give it samples of every class, or labels that are the classes' numbers, \
                 0 to {}",
                classes - 1
            )
        }
    )]
    ClassNames {
        /// The file.
        path: PathBuf,
        /// The column: its 1-based number, and its header if the file has one.
        column: String,
        /// The names found, sorted.
        names: Vec<String>,
        /// Classes of the network.
        classes: usize,
    },
    /// The label column is not a column of the file.
    #[error(
        "{}: label column {column} is out of range: the file has {}, counted from 1",
        path.display(),
        mlp_spec::counted(*columns, "column")
    )]
    LabelColumn {
        /// The file.
        path: PathBuf,
        /// The column asked for, counted from 1.
        column: usize,
        /// Columns in the file.
        columns: usize,
    },
    /// The file's values are separated by another character than the comma.
    #[error(
        "{}:{line}: the values are separated by `{separator}`, not by commas; save the file \
         as comma-separated values",
        path.display(),
        separator = separator.escape_default()
    )]
    Separator {
        /// The file.
        path: PathBuf,
        /// The 1-based line.
        line: u64,
        /// The separator found.
        separator: char,
    },
    /// A feature column is where another file (the training data) had another: the same
    /// features in another order, which a model would read as the wrong ones.
    #[error(
        "{}:1: column {column} is `{name}`, the network's feature {trained} in training; give \
         the features in the training data's order: `{order}`",
        path.display()
    )]
    FeatureOrder {
        /// The file.
        path: PathBuf,
        /// The 1-based column of the misplaced feature.
        column: usize,
        /// Its name.
        name: String,
        /// Its 1-based position among the training data's features.
        trained: usize,
        /// The training data's feature names, in order, joined by "`, `".
        order: String,
    },
    /// The first column is the row index pandas' `to_csv` writes by default.
    #[error(
        "{}: the first column, {} in the header and starting with a whole number, looks \
         like the row index pandas writes unless told not to; write the file with \
         `df.to_csv(path, index=False)`, or remove that column (if it is a feature, name it \
         in the header)",
        path.display(),
        match header.as_str() { "" => "unnamed".to_owned(), named => format!("`{named}`") }
    )]
    IndexColumn {
        /// The file.
        path: PathBuf,
        /// The first column's header: empty, or `Unnamed: 0`.
        header: String,
    },
    /// The file holds no samples.
    #[error("{}: no samples (only a header, or nothing)", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Flat slices do not hold whole samples.
    #[error(
        "{} and {} do not make whole samples of {} and {}",
        mlp_spec::counted(*inputs, "input value"),
        mlp_spec::counted(*targets, "target value"),
        mlp_spec::counted(*features, "feature"),
        mlp_spec::counted(*outputs, "target")
    )]
    Shape {
        /// Input values given.
        inputs: usize,
        /// Target values given.
        targets: usize,
        /// Features per sample.
        features: usize,
        /// Targets per sample.
        outputs: usize,
    },
}

/// A cell as a message shows it: a control character (a stray carriage return, a tab) as its
/// escape, `\r`, which a terminal would otherwise act on, hiding the cell's fault.
fn visible(cell: &str) -> String {
    cell.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// What to do with a yes/no cell, as pandas writes a `bool` column (`True`, `False`).
fn boolean_hint(cell: &str) -> &'static str {
    let boolean = ["true", "false", "yes", "no"]
        .iter()
        .any(|word| cell.eq_ignore_ascii_case(word));
    match boolean {
        true => "; write a yes/no column as 1 and 0 (pandas: `df[column].astype(int)`)",
        false => "",
    }
}
