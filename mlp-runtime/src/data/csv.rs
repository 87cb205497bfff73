//! Loading a dataset from a CSV file, with or without a header row.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{DataError, DynDataset};
use crate::float::Float;

/// How the columns of a CSV file map to features and targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvTarget {
    /// The feature columns, then the target columns.
    Columns,
    /// One column holds an integer class label; every other column is a feature, in file
    /// order. With two or more outputs the label `k` becomes a one-hot target; with one
    /// output (a sigmoid) it must be 0 or 1 and is the target itself. The column is an
    /// index, from 0 as Rust's are: `Label(4)` is the fifth column, which messages and the
    /// `mlp` command call column 5.
    Label(usize),
    /// As [`CsvTarget::Label`], but a one-output classifier's classes 0 and 1 become the
    /// targets -1 and +1: the convention of hinge loss, whose gradient `-y` would be 0 for
    /// every sample of class 0 with a target of 0. A label of -1 is class 0 too, so labels
    /// already written as -1 and +1 read alike. With several outputs, as `Label`.
    SignedLabel(usize),
}

impl CsvTarget {
    /// The label column's index, if the labels are in one column.
    pub(crate) fn label_column(self) -> Option<usize> {
        match self {
            CsvTarget::Columns => None,
            CsvTarget::Label(column) | CsvTarget::SignedLabel(column) => Some(column),
        }
    }
}

/// How class labels map to class indices.
#[derive(Clone, Copy)]
enum Classes<'a> {
    /// Numbers are class indices; names are sorted, the first becoming class 0.
    Infer,
    /// These names, in class order: a model's classes, so that a file holding only some of
    /// them maps each to the class the model knows it as.
    Known(&'a [String]),
}

impl<T: Float> DynDataset<T> {
    /// Reads a CSV file for samples of `input_width` features and `output_width` targets.
    ///
    /// The first row is a header unless every cell of it (but the label's) is a number, in
    /// which case it is the first sample: a file without a header loses no row, and a header
    /// is never read as data (a header of numbers only would be, so name at least one
    /// feature column).
    ///
    /// A label column holds class indices (`0`, `1`, ...) or class names (`setosa`); names
    /// are sorted, the first becoming class 0 (scikit-learn's `LabelEncoder`), and kept as
    /// [`DynDataset::class_names`]. To map names to the classes of a trained model, use
    /// [`DynDataset::from_csv_with_classes`].
    ///
    /// # Errors
    ///
    /// A [`DataError`] naming the file, line and column (columns count from 1, as lines do)
    /// for: a missing or unreadable file, malformed CSV or text that is not UTF-8, a row with
    /// the wrong number of columns, a cell that is not a number, a NaN or infinite value, a
    /// class label out of range, class names more or fewer than the network's classes, or a
    /// file without samples.
    ///
    /// # Panics
    ///
    /// If a width is 0.
    pub fn from_csv(
        path: impl AsRef<Path>,
        target: CsvTarget,
        input_width: usize,
        output_width: usize,
    ) -> Result<Self, DataError> {
        let data = DynDataset::new(input_width, output_width);
        read(path.as_ref(), target, data, Classes::Infer)
    }

    /// As [`DynDataset::from_csv`], with the label column's class names given, in class order
    /// (a checkpoint's [`Preprocessing::class_names`](crate::checkpoint::Preprocessing)).
    /// With no names given, labels must be class indices.
    ///
    /// # Errors
    ///
    /// As [`DynDataset::from_csv`], and [`DataError::UnknownClass`] for a label that is not
    /// one of the names.
    ///
    /// # Panics
    ///
    /// If a width is 0.
    pub fn from_csv_with_classes(
        path: impl AsRef<Path>,
        target: CsvTarget,
        input_width: usize,
        output_width: usize,
        class_names: &[String],
    ) -> Result<Self, DataError> {
        let data = DynDataset::new(input_width, output_width);
        read(path.as_ref(), target, data, Classes::Known(class_names))
    }
}

/// The features of a CSV file of feature columns alone, read by [`read_features`].
#[derive(Clone, Debug, PartialEq)]
pub struct Features<T> {
    /// The values, sample after sample.
    pub values: Vec<T>,
    /// The header's names of the columns; empty for a file without a header.
    pub names: Vec<String>,
}

/// Reads the inputs of a CSV file of `width` feature columns and nothing else (unlabelled
/// data to predict), with the header rule and errors of [`DynDataset::from_csv`].
///
/// # Errors
///
/// As [`DynDataset::from_csv`].
pub fn read_features<T: Float>(
    path: impl AsRef<Path>,
    width: usize,
) -> Result<Features<T>, DataError> {
    let data = DynDataset {
        inputs: Vec::new(),
        targets: Vec::new(),
        input_width: width,
        output_width: 0,
        class_names: Vec::new(),
        feature_names: Vec::new(),
        target_names: Vec::new(),
    };
    let path = path.as_ref();
    let data = read(path, CsvTarget::Columns, data, Classes::Infer)?;
    Ok(Features {
        values: data.inputs,
        names: data.feature_names,
    })
}

/// The number of columns of a CSV file's first row (its header, if it has one).
///
/// # Errors
///
/// [`DataError::Io`], [`DataError::Malformed`], [`DataError::NotUtf8`],
/// [`DataError::Utf16`], or [`DataError::Empty`] for an empty file.
pub fn csv_columns(path: impl AsRef<Path>) -> Result<usize, DataError> {
    let path = path.as_ref();
    let mut reader = reader(path)?;
    let mut record = csv::StringRecord::new();
    let mut rows = Rows::<f32>::new(path, CsvTarget::Columns, DynDataset::new(1, 1));
    let mut width = None;
    while reader
        .read_record(&mut record)
        .map_err(|e| rows.malformed(e))?
    {
        if is_blank(&record) {
            continue;
        }
        if let Some(width) = width {
            rows.check_index_column(&record)?;
            return Ok(width);
        }
        rows.check_separator(&record)?;
        // A header whose first cell may name pandas' index: the first row below it says.
        let mut numbers = record.iter().skip(1);
        let header = !numbers.all(|cell| cell.parse::<f64>().is_ok() || is_missing(cell));
        if !(header && is_index_header(&record[0])) {
            return Ok(record.len());
        }
        rows.headers = record.iter().map(str::to_owned).collect();
        width = Some(record.len());
    }
    width.ok_or_else(|| DataError::Empty {
        path: path.to_path_buf(),
    })
}

/// Whether a header cell is the one pandas' `to_csv` gives the row index it writes by
/// default: empty, or `Unnamed: 0` once such a file has been read back and written again.
fn is_index_header(cell: &str) -> bool {
    cell.is_empty() || cell.starts_with("Unnamed: ")
}

/// Whether a cell is how spreadsheets and data frames write a missing value: empty, or `NA`,
/// `N/A`, `null`, `None` or `?` (pandas' `na_values` and the UCI repository's marker).
fn is_missing(cell: &str) -> bool {
    cell.is_empty()
        || ["na", "n/a", "null", "none", "?"]
            .iter()
            .any(|marker| cell.eq_ignore_ascii_case(marker))
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>, DataError> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // Lines end at `\n` alone, and trimming takes a Windows line's `\r` off its last cell:
    // with `\r\n` as the terminator, the csv crate (1.3) numbers every line after the first
    // one too low (rust-csv issue 395), and the messages name lines.
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(file))
}

/// Whether a file starts with a UTF-16 byte order mark, as the files Excel saves as "Unicode
/// Text" do.
fn is_utf16(path: &Path) -> bool {
    let mut start = [0; 2];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut start))
        .is_ok()
        && matches!(start, [0xFF, 0xFE] | [0xFE, 0xFF])
}

/// Whether a record is a blank line: a Windows one reads as one cell holding its `\r`, which
/// trimming empties (the csv crate skips a blank line of `\n` alone itself).
fn is_blank(record: &csv::StringRecord) -> bool {
    record.len() == 1 && record[0].is_empty()
}

/// Reads `path` into `data`, whose widths say what a row holds.
fn read<T: Float>(
    path: &Path,
    target: CsvTarget,
    data: DynDataset<T>,
    classes: Classes<'_>,
) -> Result<DynDataset<T>, DataError> {
    let mut reader = reader(path)?;
    let mut rows = Rows::new(path, target, data);
    let mut record = csv::StringRecord::new();
    let (mut first, mut first_sample) = (true, true);
    while reader
        .read_record(&mut record)
        .map_err(|e| rows.malformed(e))?
    {
        if is_blank(&record) {
            continue;
        }
        if !first && std::mem::take(&mut first_sample) {
            rows.check_index_column(&record)?;
        }
        if std::mem::take(&mut first) {
            rows.check_separator(&record)?;
            rows.check_label_column(record.len())?;
            // A label may be a name, so the other cells say whether this is a header; when
            // they are all numbers but the label is not, the other rows' labels decide.
            let label = target.label_column();
            let mut cells = record.iter().enumerate().filter(|(c, _)| Some(*c) != label);
            if !cells.all(|(_, cell)| cell.parse::<f64>().is_ok() || is_missing(cell)) {
                rows.headers = record.iter().map(str::to_owned).collect();
                continue;
            }
            if label.is_some_and(|c| record.get(c).is_some_and(|l| l.parse::<f64>().is_err())) {
                rows.maybe_header = Some(record.iter().map(str::to_owned).collect());
            }
        }
        rows.push(&record)?;
    }
    rows.drop_numbered_header();
    if rows.data.is_empty() {
        return Err(DataError::Empty { path: rows.path });
    }
    rows.push_labels(classes)?;
    rows.name_columns();
    Ok(rows.data)
}

/// The samples read so far and what is needed to read the next row.
struct Rows<T> {
    path: PathBuf,
    target: CsvTarget,
    features: usize,
    outputs: usize,
    /// The header row's cells; empty for a file without one.
    headers: Vec<String>,
    /// Each row's label cell and line, mapped to targets once every row is read.
    labels: Vec<(String, u64)>,
    /// A first row of numbers whose label is text: a header naming only the label column if
    /// the other rows' labels are numbers, else the first sample.
    maybe_header: Option<Vec<String>>,
    data: DynDataset<T>,
}

impl<T: Float> Rows<T> {
    fn new(path: &Path, target: CsvTarget, data: DynDataset<T>) -> Self {
        Rows {
            path: path.to_path_buf(),
            target,
            features: data.input_width,
            outputs: data.output_width,
            headers: Vec::new(),
            labels: Vec::new(),
            maybe_header: None,
            data,
        }
    }

    /// Columns a row must have.
    fn expected(&self) -> usize {
        match self.target.label_column() {
            None => self.features + self.outputs,
            Some(_) => self.features + 1,
        }
    }

    fn malformed(&self, error: csv::Error) -> DataError {
        match error.kind() {
            csv::ErrorKind::Io(_) => DataError::Io {
                path: self.path.clone(),
                source: std::io::Error::other(error.to_string()),
            },
            csv::ErrorKind::Utf8 { pos, err } => {
                let line = pos.as_ref().map_or(0, csv::Position::line);
                if line == 1 && is_utf16(&self.path) {
                    DataError::Utf16 {
                        path: self.path.clone(),
                    }
                } else {
                    DataError::NotUtf8 {
                        path: self.path.clone(),
                        line,
                        column: self.column_name(err.field()),
                    }
                }
            }
            _ => DataError::Malformed {
                path: self.path.clone(),
                line: error.position().map_or(0, csv::Position::line),
                message: error.to_string(),
            },
        }
    }

    /// Refuses a first row read as one cell that holds a semicolon, a tab or a bar: a file
    /// whose values another character separates (as spreadsheets save them where the comma
    /// is the decimal mark), which would otherwise read as a row of one column.
    fn check_separator(&self, record: &csv::StringRecord) -> Result<(), DataError> {
        let one_cell = (record.len() == 1).then(|| &record[0]);
        match one_cell.and_then(|cell| [';', '\t', '|'].into_iter().find(|&c| cell.contains(c))) {
            Some(separator) => Err(DataError::Separator {
                path: self.path.clone(),
                line: record.position().map_or(0, csv::Position::line),
                separator,
            }),
            None => Ok(()),
        }
    }

    /// Refuses the row index pandas' `to_csv` writes unless told `index=False`: a first
    /// column whose header is empty (or `Unnamed: 0`) above a whole number in the first
    /// sample, `record`. Read as a feature, it would shift every column by one and fail later
    /// with a message about the wrong column, or train on the row numbers.
    fn check_index_column(&self, record: &csv::StringRecord) -> Result<(), DataError> {
        // A label column of numbered classes may come first, unnamed.
        if self.target.label_column() == Some(0) {
            return Ok(());
        }
        match (self.headers.first(), record.get(0)) {
            (Some(header), Some(cell))
                if is_index_header(header) && cell.parse::<u64>().is_ok() =>
            {
                Err(DataError::IndexColumn {
                    path: self.path.clone(),
                    header: header.clone(),
                })
            }
            _ => Ok(()),
        }
    }

    fn check_label_column(&self, columns: usize) -> Result<(), DataError> {
        match self.target.label_column() {
            Some(column) if column >= columns.max(self.expected()) => Err(DataError::LabelColumn {
                path: self.path.clone(),
                column: column + 1,
                columns,
            }),
            _ => Ok(()),
        }
    }

    /// A column's name for messages: its number from 1, and its header if there is one.
    fn column_name(&self, column: usize) -> String {
        match self.headers.get(column) {
            Some(header) => format!("column {} (`{header}`)", column + 1),
            None => format!("column {}", column + 1),
        }
    }

    fn number(&self, record: &csv::StringRecord, line: u64, column: usize) -> Result<T, DataError> {
        let cell = &record[column];
        let value: f64 = cell.parse().map_err(|_| {
            let (path, column, value) =
                (self.path.clone(), self.column_name(column), cell.to_owned());
            if is_missing(cell) {
                DataError::Missing {
                    path,
                    line,
                    column,
                    value,
                }
            } else {
                DataError::NotANumber {
                    path,
                    line,
                    column,
                    value,
                }
            }
        })?;
        // pandas writes and reads a missing value as `NaN`; an infinity is a value, but not
        // one a network can take.
        if !value.is_finite() {
            let (path, column, cell) =
                (self.path.clone(), self.column_name(column), cell.to_owned());
            return Err(match value.is_nan() {
                true => DataError::Missing {
                    path,
                    line,
                    column,
                    value: cell,
                },
                false => DataError::NotFinite {
                    path,
                    line,
                    column,
                    value: cell,
                },
            });
        }
        let cast = T::cast(value);
        if !cast.as_f64().is_finite() {
            return Err(DataError::OutOfRange {
                path: self.path.clone(),
                line,
                column: self.column_name(column),
                value: cell.to_owned(),
            });
        }
        Ok(cast)
    }

    fn push(&mut self, record: &csv::StringRecord) -> Result<(), DataError> {
        let line = record.position().map_or(0, csv::Position::line);
        let expected = self.expected();
        if record.len() != expected {
            return Err(DataError::ColumnCount {
                path: self.path.clone(),
                line,
                expected,
                features: self.features,
                targets: match self.target.label_column() {
                    None if self.outputs == 0 => String::new(),
                    None => format!(" and {}", mlp_spec::counted(self.outputs, "target column")),
                    Some(_) => " and a label column".to_owned(),
                },
                found: record.len(),
            });
        }
        match self.target.label_column() {
            None => {
                for column in 0..expected {
                    let value = self.number(record, line, column)?;
                    if column < self.features {
                        self.data.inputs.push(value);
                    } else {
                        self.data.targets.push(value);
                    }
                }
            }
            Some(label_column) => {
                for column in (0..expected).filter(|&c| c != label_column) {
                    let value = self.number(record, line, column)?;
                    self.data.inputs.push(value);
                }
                self.labels.push((record[label_column].to_owned(), line));
            }
        }
        Ok(())
    }

    /// Gives the data the header's names of its feature and target (or label) columns.
    fn name_columns(&mut self) {
        let label = self.target.label_column();
        let (targets, features): (Vec<_>, Vec<_>) =
            self.headers
                .iter()
                .enumerate()
                .partition(|(column, _)| match label {
                    Some(label) => *column == label,
                    None => *column >= self.features,
                });
        let names =
            |columns: Vec<(usize, &String)>| columns.into_iter().map(|(_, n)| n.clone()).collect();
        self.data.feature_names = names(features);
        self.data.target_names = names(targets);
    }

    /// Makes the first row the header if it only named the label column of numbered classes.
    fn drop_numbered_header(&mut self) {
        let Some(header) = self.maybe_header.take() else {
            return;
        };
        if self.labels[1..]
            .iter()
            .all(|(l, _)| l.parse::<f64>().is_ok())
        {
            self.labels.remove(0);
            self.data.inputs.drain(..self.features);
            self.headers = header;
        }
    }

    /// Maps every row's label to its class and pushes the targets.
    fn push_labels(&mut self, classes: Classes<'_>) -> Result<(), DataError> {
        let Some(column) = self.target.label_column() else {
            return Ok(());
        };
        // Only an empty label is missing: `None` or `NA` may name a class ("no disease").
        if let Some((cell, line)) = self.labels.iter().find(|(cell, _)| cell.is_empty()) {
            return Err(DataError::Missing {
                path: self.path.clone(),
                line: *line,
                column: self.column_name(column),
                value: cell.clone(),
            });
        }
        let count = self.outputs.max(2);
        // Hinge's own labels, -1 and +1, are classes 0 and 1 as 0 and 1 are.
        let signed_one = matches!(self.target, CsvTarget::SignedLabel(_)) && self.outputs == 1;
        let numbers: Option<Vec<f64>> = self.labels.iter().map(|(l, _)| l.parse().ok()).collect();
        // Labels 0 to `count - 1` (-1 for hinge's class 0) are the classes' numbers. Other
        // numbers, as many as the classes (1 to 3, say), name them in numeric order, as
        // scikit-learn's `LabelEncoder` encodes them; with another count, the first number
        // out of range is the error, with its line (a typo among the classes' numbers).
        let numbered = numbers.as_ref().is_some_and(|numbers| {
            let own = |v: f64| {
                (v == -1.0 && signed_one) || (v.fract() == 0.0 && v >= 0.0 && v < count as f64)
            };
            let mut distinct = numbers.clone();
            distinct.sort_unstable_by(f64::total_cmp);
            distinct.dedup();
            numbers.iter().all(|&v| own(v)) || distinct.len() != count
        });
        let names: Vec<String> = match classes {
            Classes::Known(names) => names.to_vec(),
            Classes::Infer if numbered => Vec::new(),
            Classes::Infer => {
                let mut names: Vec<String> = self.labels.iter().map(|(l, _)| l.clone()).collect();
                match numbers {
                    Some(_) => names.sort_unstable_by(|a, b| {
                        let value = |name: &String| name.parse::<f64>().unwrap_or(f64::NAN);
                        value(a).total_cmp(&value(b)).then_with(|| a.cmp(b))
                    }),
                    None => names.sort_unstable(),
                }
                names.dedup();
                if names.len() != count {
                    return Err(DataError::ClassNames {
                        path: self.path.clone(),
                        column: self.column_name(column),
                        names,
                        classes: count,
                    });
                }
                names
            }
        };
        for (cell, line) in std::mem::take(&mut self.labels) {
            let class = if names.is_empty() {
                cell.parse::<f64>()
                    .ok()
                    .map(|v| if v == -1.0 && signed_one { 0.0 } else { v })
                    .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v < count as f64)
                    .map(|v| v as usize)
                    .ok_or_else(|| DataError::Label {
                        path: self.path.clone(),
                        line,
                        column: self.column_name(column),
                        value: cell.clone(),
                        max: count - 1,
                    })?
            } else {
                // Names that are numbers match by value too: a class named `1` is `1.0` in a
                // file a data frame wrote with float labels.
                let value = cell.parse::<f64>().ok();
                let by_value = |name: &String| value.is_some_and(|v| name.parse() == Ok(v));
                let exact = names.iter().position(|name| *name == cell);
                exact
                    .or_else(|| names.iter().position(by_value))
                    .ok_or_else(|| DataError::UnknownClass {
                        path: self.path.clone(),
                        line,
                        column: self.column_name(column),
                        value: cell.clone(),
                        names: names.join(", "),
                    })?
            };
            self.push_class(class);
        }
        self.data.class_names = names;
        Ok(())
    }

    /// Pushes the target of class `class`: one-hot for several outputs, the class itself
    /// (or -1 for class 0 with signed labels) for one.
    fn push_class(&mut self, class: usize) {
        if self.outputs == 1 {
            let signed = matches!(self.target, CsvTarget::SignedLabel(_));
            let value = if signed && class == 0 {
                -1.0
            } else {
                class as f64
            };
            self.data.targets.push(T::cast(value));
        } else {
            let one_hot = (0..self.outputs).map(|k| T::cast(f64::from(k == class)));
            self.data.targets.extend(one_hot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;

    /// `text` in a file `name` of a fresh directory, which is removed when dropped.
    fn write(name: &str, text: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::Builder::new()
            .prefix("mlp-csv-")
            .tempdir()
            .unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn error(name: &str, text: impl AsRef<[u8]>, target: CsvTarget) -> String {
        let (_dir, path) = write(name, text);
        let message = match Dataset::<f32, 2, 3>::from_csv(&path, target) {
            Ok(_) => panic!("{name} should be rejected"),
            Err(e) => e.to_string(),
        };
        message.replace(&path.display().to_string(), name)
    }

    #[test]
    fn labels_become_one_hot_and_columns_stay_values() {
        let (_dir, path) = write("ok.csv", "a,b,class\n1,2,0\n3.5, -4 ,2\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(data.inputs(), &[1.0, 2.0, 3.5, -4.0]);
        assert_eq!(data.targets(), &[1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        assert_eq!(data.class(1), 2);

        let (_dir, path) = write("label-first.csv", "y,a,b\n1,5,6\n");
        let data = Dataset::<f64, 2, 1>::from_csv(&path, CsvTarget::Label(0)).unwrap();
        assert_eq!(
            (data.inputs(), data.targets()),
            (&[5.0, 6.0][..], &[1.0][..])
        );

        let (_dir, path) = write("signed.csv", "a,b,y\n1,2,0\n3,4,1\n");
        let data = Dataset::<f32, 2, 1>::from_csv(&path, CsvTarget::SignedLabel(2)).unwrap();
        assert_eq!(data.targets(), &[-1.0, 1.0]);
        assert_eq!((data.class(0), data.class(1)), (0, 1));
        let (_dir, path) = write("minus-one.csv", "a,b,y\n1,2,-1\n3,4,1\n");
        let same = Dataset::<f32, 2, 1>::from_csv(&path, CsvTarget::SignedLabel(2)).unwrap();
        assert_eq!(
            same.targets(),
            data.targets(),
            "labels -1 and +1 read as 0 and 1 do"
        );
        // Elsewhere -1 and 1 name two classes, in numeric order, as they do for
        // scikit-learn's `LabelEncoder`.
        let unsigned = Dataset::<f32, 2, 1>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!(unsigned.targets(), &[0.0, 1.0]);
        assert_eq!(unsigned.class_names(), ["-1", "1"]);

        // Numbers other than the classes' own name classes in numeric order, not text order:
        // 1 to 3, as in data sets whose classes count from 1, or 2, 9 and 10.
        for (labels, names) in [
            (["3", "1", "2"], ["1", "2", "3"]),
            (["10", "2", "9"], ["2", "9", "10"]),
        ] {
            let rows: String = labels.iter().map(|l| format!("1,2,{l}\n")).collect();
            let (_dir, path) = write("numbers.csv", format!("a,b,class\n{rows}"));
            let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
            assert_eq!(data.class_names(), names);
            let classes: Vec<usize> = (0..3).map(|i| data.class(i)).collect();
            let expected: Vec<usize> = labels
                .iter()
                .map(|l| names.iter().position(|n| n == l).unwrap())
                .collect();
            assert_eq!(classes, expected, "{labels:?}");
        }
        // A later file's labels match those names by value: `2.0` is the class named `2`.
        let (_dir, later) = write("later.csv", "a,b,class\n1,2,2.0\n1,2,10\n");
        let names = ["2".to_owned(), "9".to_owned(), "10".to_owned()];
        let read =
            DynDataset::<f32>::from_csv_with_classes(&later, CsvTarget::Label(2), 2, 3, &names)
                .unwrap();
        assert_eq!((read.class(0), read.class(1)), (0, 2));
        // The classes' own numbers stay numbers, with no names, as before.
        let (_dir, path) = write("own.csv", "a,b,class\n1,2,2\n1,2,0\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert!(data.class_names().is_empty());
        assert_eq!((data.class(0), data.class(1)), (2, 0));

        let (_dir, path) = write("columns.csv", "a,b,y1,y2,y3\n1,2,3,4,5\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Columns).unwrap();
        assert_eq!(data.targets(), &[3.0, 4.0, 5.0]);
    }

    #[test]
    fn a_first_row_of_numbers_is_a_sample_not_a_header() {
        let (_dir, path) = write("headerless.csv", "1,2,0\n3,4,2\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!(data.len(), 2, "no row is lost");
        assert_eq!(data.inputs(), &[1.0, 2.0, 3.0, 4.0]);
        assert_eq!((data.class(0), data.class(1)), (0, 2));

        let (_dir, path) = write("scientific.csv", "1e-3,-2.5,1\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!(data.inputs(), &[1e-3, -2.5]);

        // Without a header, messages name columns by number only.
        assert_eq!(
            error("headerless-text.csv", "1,2,0\n1,x,0\n", CsvTarget::Label(2)),
            "headerless-text.csv:2: column 2 is not a number: `x`"
        );
        // One named column makes the row a header.
        let (_dir, path) = write("one-name.csv", "1,2,class\n5,6,1\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!(data.len(), 1);
    }

    #[test]
    fn class_names_are_sorted_kept_and_mapped_to_a_models_classes() {
        let (_dir, path) = write(
            "names.csv",
            "a,b,species\n1,2,virginica\n3,4,setosa\n5,6,versicolor\n7,8,setosa\n",
        );
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!(data.class_names(), ["setosa", "versicolor", "virginica"]);
        assert_eq!(
            (0..4).map(|i| data.class(i)).collect::<Vec<_>>(),
            [2, 0, 1, 0]
        );
        let (rest, test) = data.split(0.5, 1);
        assert_eq!(
            (rest.class_names(), test.class_names()),
            (data.class_names(), data.class_names())
        );

        // A file holding some of a model's classes maps them as the model knows them.
        let names: Vec<String> = ["setosa", "versicolor", "virginica"]
            .map(String::from)
            .into();
        let (_dir, path) = write("some.csv", "a,b,species\n1,2,virginica\n");
        let data =
            DynDataset::<f32>::from_csv_with_classes(&path, CsvTarget::Label(2), 2, 3, &names)
                .unwrap();
        assert_eq!((data.class(0), data.class_names()), (2, &names[..]));

        // Without a header, a row whose only text is its label is a sample, not a header.
        let (_dir, path) = write("names-headerless.csv", "1,2,benign\n3,4,malignant\n");
        let data = Dataset::<f64, 2, 1>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!((data.len(), data.targets()), (2, &[0.0, 1.0][..]));
        assert_eq!(data.class_names(), ["benign", "malignant"]);
        // Numbers stay class indices, with no names.
        let (_dir, path) = write("numbers.csv", "a,b,y\n1,2,1\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert!(data.class_names().is_empty());

        let too_many = "a,b,species\n1,2,w\n1,2,x\n1,2,y\n1,2,z\n";
        assert_eq!(
            error("four.csv", too_many, CsvTarget::Label(2)),
            "four.csv: column 3 (`species`) names 4 classes (w, x, y, z), but the network has 3; \
             give the last layer one unit per class"
        );
        // Sorted, two of three names would make `virginica` class 1, where the model's is 2.
        assert_eq!(
            error(
                "two.csv",
                "a,b,species\n1,2,virginica\n1,2,setosa\n",
                CsvTarget::Label(2)
            ),
            "two.csv: column 3 (`species`) names 2 classes (setosa, virginica), but the network \
             has 3; class names are numbered in sorted order, so each must occur in the file: \
             give it samples of every class, or labels that are the classes' numbers, 0 to 2"
        );
        let (_dir, path) = write("unknown.csv", "a,b,species\n1,2,setosa\n1,2,rose\n");
        let unknown =
            DynDataset::<f32>::from_csv_with_classes(&path, CsvTarget::Label(2), 2, 3, &names)
                .unwrap_err()
                .to_string()
                .replace(&path.display().to_string(), "unknown.csv");
        assert_eq!(
            unknown,
            "unknown.csv:3: column 3 (`species`): class `rose` is not one of the model's classes: \
             setosa, versicolor, virginica"
        );
    }

    #[test]
    fn windows_line_endings_read_alike_with_the_same_line_numbers() {
        let label = CsvTarget::Label(2);
        let unix = "a,b,class\n1,2,0\n\n3,4,1\n";
        let (_dir, path) = write("unix.csv", unix);
        let (_dir2, windows) = write("windows.csv", unix.replace('\n', "\r\n"));
        let read = |path: &Path| Dataset::<f32, 2, 2>::from_csv(path, label).unwrap();
        assert_eq!(read(&windows), read(&path));
        assert_eq!(read(&windows).feature_names(), ["a", "b"]);
        assert_eq!(csv_columns(&windows).unwrap(), 3);
        assert_eq!(
            error(
                "windows.csv",
                "a,b,class\r\n1,2,0\r\n\r\n\"3\",x,1\r\n",
                label
            ),
            "windows.csv:4: column 2 (`b`) is not a number: `x`"
        );
        assert_eq!(
            error("windows.csv", "a,b,class\r\n1,2,0\r\n3,4,\"7\"\r\n", label),
            "windows.csv:3: column 3 (`class`): class label `7` is not one of 0..=2"
        );
    }

    #[test]
    fn the_header_names_the_feature_and_target_columns() {
        let (_dir, path) = write("label-first.csv", "species,a,b\nx,1,2\ny,3,4\n");
        let data = DynDataset::<f32>::from_csv(&path, CsvTarget::Label(0), 2, 2).unwrap();
        assert_eq!(data.feature_names(), ["a", "b"]);
        assert_eq!(data.target_names(), ["species"]);
        let kept = data.subset(&[1]);
        assert_eq!(
            (kept.feature_names(), kept.target_names()),
            (data.feature_names(), data.target_names())
        );

        let (_dir, path) = write("targets.csv", "a,b,y1,y2\n1,2,3,4\n");
        let data = DynDataset::<f32>::from_csv(&path, CsvTarget::Columns, 2, 2).unwrap();
        assert_eq!(data.feature_names(), ["a", "b"]);
        assert_eq!(data.target_names(), ["y1", "y2"]);

        // A header that names only the label column of numbered classes names the rest too.
        let (_dir, path) = write("numbered.csv", "1,2,class\n1,2,0\n3,4,1\n");
        let data = DynDataset::<f32>::from_csv(&path, CsvTarget::Label(2), 2, 2).unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(data.feature_names(), ["1", "2"]);

        let (_dir, path) = write("headerless.csv", "1,2,0\n3,4,1\n");
        let data = DynDataset::<f32>::from_csv(&path, CsvTarget::Label(2), 2, 2).unwrap();
        assert!(data.feature_names().is_empty() && data.target_names().is_empty());
    }

    #[test]
    fn features_alone_are_read_for_prediction() {
        let (_dir, path) = write("features.csv", "a,b\n1,2\n3,4.5\n");
        assert_eq!(
            read_features::<f32>(&path, 2).unwrap(),
            Features {
                values: vec![1.0, 2.0, 3.0, 4.5],
                names: vec!["a".into(), "b".into()]
            }
        );
        let (_dir, path) = write("headerless.csv", "1,2\n3,4.5\n");
        let headerless = read_features::<f32>(&path, 2).unwrap();
        assert_eq!(headerless.values, [1.0, 2.0, 3.0, 4.5]);
        assert!(headerless.names.is_empty());
        assert_eq!(csv_columns(&path).unwrap(), 2);
        let (_dir, path) = write("features-wide.csv", "1,2,3\n");
        let message = read_features::<f32>(&path, 2).unwrap_err().to_string();
        assert!(
            message.ends_with("features-wide.csv:1: expected 2 columns (2 features), found 3"),
            "{message}"
        );
    }

    #[test]
    fn bad_files_name_the_line_and_column() {
        let label = CsvTarget::Label(2);
        assert_eq!(
            error("short.csv", "a,b,class\n1,2,0\n1,2\n", label),
            "short.csv:3: expected 3 columns (2 features and a label column), found 2"
        );
        assert_eq!(
            error("text.csv", "a,b,class\n1,x,0\n", label),
            "text.csv:2: column 2 (`b`) is not a number: `x`"
        );
        // pandas' row index, written by `to_csv` unless told `index=False`, unnamed or (read
        // back and written again) `Unnamed: 0`.
        for header in ["", "Unnamed: 0"] {
            let text = format!("{header},a,b,class\n0,1,2,0\n1,3,4,1\n");
            let name = match header {
                "" => "unnamed",
                _ => "`Unnamed: 0`",
            };
            let expected = format!(
                "index.csv: the first column, {name} in the header and starting with a whole \
                 number, looks like the row index pandas writes unless told not to; write the \
                 file with `df.to_csv(path, index=False)`, or remove that column (if it is a \
                 feature, name it in the header)"
            );
            assert_eq!(error("index.csv", &text, label), expected);
            let (_dir, path) = write("index.csv", &text);
            let columns = csv_columns(&path).unwrap_err().to_string();
            assert_eq!(
                columns.replace(&path.display().to_string(), "index.csv"),
                expected
            );
        }
        // An unnamed first column of numbered classes, named the label column, is read so.
        let (_dir, path) = write("label.csv", ",a,b\n2,1,2\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(0)).unwrap();
        assert_eq!((data.inputs(), data.class(0)), (&[1.0, 2.0][..], 2));
        // An unnamed first column of other values is read as any column is.
        let (_dir, path) = write("unnamed.csv", ",a,class\n0.5,1,0\n");
        assert_eq!(csv_columns(&path).unwrap(), 3);
        let data = Dataset::<f32, 2, 3>::from_csv(&path, label).unwrap();
        assert_eq!(data.inputs(), [0.5, 1.0]);
        // pandas writes a `bool` column as `True` and `False`.
        assert_eq!(
            error("bool.csv", "a,b,class\n1,True,0\n", label),
            "bool.csv:2: column 2 (`b`) is not a number: `True`; write a yes/no column as 1 and \
             0 (pandas: `df[column].astype(int)`)"
        );
        // A stray carriage return (a line end cut in two by a script) shows as one.
        assert_eq!(
            error("cr.csv", "a,b,class\n1,0\r.5,0\n", label),
            "cr.csv:2: column 2 (`b`) is not a number: `0\\r.5`"
        );
        for (name, cell) in [("blank.csv", ""), ("na.csv", "NA"), ("unknown.csv", "?")] {
            assert_eq!(
                error(name, format!("a,b,class\n1,{cell},0\n"), label),
                format!(
                    "{name}:2: column 2 (`b`) has no value (`{cell}`); remove the row, or fill \
                     in the value (with the column's mean or median, as scikit-learn's \
                     `SimpleImputer` does)"
                )
            );
        }
        // A missing value in a first row of numbers does not make it a header.
        assert!(
            error("first.csv", "1,n/a,0\n1,2,0\n", label)
                .starts_with("first.csv:1: column 2 has no value (`n/a`); remove the row"),
        );
        assert!(
            error("no-label.csv", "a,b,class\n1,2,setosa\n1,2,\n", label)
                .starts_with("no-label.csv:3: column 3 (`class`) has no value (``)"),
        );
        let (_dir, path) = write("none.csv", "a,b,severity\n1,2,None\n3,4,Mild\n");
        let data = Dataset::<f32, 2, 2>::from_csv(&path, label).unwrap();
        assert_eq!(
            data.class_names(),
            ["Mild", "None"],
            "a class may be named `None`"
        );
        assert!(
            error("nan.csv", "a,b,class\n1,NaN,0\n", label)
                .starts_with("nan.csv:2: column 2 (`b`) has no value (`NaN`); remove the row"),
            "{}",
            error("nan.csv", "a,b,class\n1,NaN,0\n", label)
        );
        assert_eq!(
            error("inf.csv", "a,b,class\n1,2,0\n-inf,3,1\n", label),
            "inf.csv:3: column 1 (`a`) is not finite: `-inf`; remove the row, or replace the \
             value with a finite one"
        );
        assert_eq!(
            error("huge.csv", "a,b,class\n1,-1e39,0\n", label),
            "huge.csv:2: column 2 (`b`): value -1e39 is beyond the range of f32 (about \
             +/-3.4e38); rescale the column, or use a network of `precision: f64`"
        );
        let (_dir, path) = write("huge64.csv", "a,b,class\n1,-1e39,0\n");
        let wide = Dataset::<f64, 2, 3>::from_csv(&path, label).unwrap();
        assert_eq!(wide.input(0), [1.0, -1e39]);
        assert_eq!(
            error("label.csv", "a,b,class\n1,2,3\n", label),
            "label.csv:2: column 3 (`class`): class label `3` is not one of 0..=2"
        );
        assert_eq!(
            error("fraction.csv", "a,b,class\n1,2,1.5\n", label),
            "fraction.csv:2: column 3 (`class`): class label `1.5` is not one of 0..=2"
        );
        assert_eq!(
            error("empty.csv", "a,b,class\n", label),
            "empty.csv: no samples (only a header, or nothing)"
        );
        assert_eq!(
            error("far.csv", "a,b,class\n1,2,0\n", CsvTarget::Label(7)),
            "far.csv: label column 8 is out of range: the file has 3 columns, counted from 1"
        );
        assert_eq!(
            error("targets.csv", "a,b,c\n1,2,3\n", CsvTarget::Columns),
            "targets.csv:2: expected 5 columns (2 features and 3 target columns), found 3"
        );
        // Excel's "CSV (Comma delimited)" writes the Windows code page: `é` is the byte 0xE9.
        let advice = "is not UTF-8 text; save the file as UTF-8 (in Excel, as \"CSV UTF-8\"), \
                      or convert it, for example with `iconv -f windows-1252 -t utf-8`; a \
                      binary file such as a checkpoint is not data";
        assert_eq!(
            error("cp1252.csv", b"a,b,class\n1,2,0\n1,2,caf\xe9\n", label),
            format!("cp1252.csv:3: column 3 (`class`) {advice}")
        );
        assert_eq!(
            error("header.csv", b"a,\xe9t\xe9,class\n1,2,0\n", label),
            format!("header.csv:1: column 2 {advice}")
        );
        // Excel's "Unicode Text": UTF-16 with a byte order mark.
        let utf16: Vec<u8> = "\u{feff}a,b,class\n1,2,0\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            error("unicode.csv", utf16, label),
            "unicode.csv: the file is UTF-16 text, as Excel's \"Unicode Text\" saves it; save \
             it as \"CSV UTF-8\", or convert it, for example with `iconv -f utf-16 -t utf-8`"
        );
        assert_eq!(
            error("semicolons.csv", "a;b;class\n1;2;0\n", label),
            "semicolons.csv:1: the values are separated by `;`, not by commas; save the file \
             as comma-separated values"
        );
        assert_eq!(
            error("tabs.csv", "1\t2\t0\n", label),
            "tabs.csv:1: the values are separated by `\\t`, not by commas; save the file as \
             comma-separated values"
        );
        let (_dir, path) = write("one.csv", "a\n1\n");
        let single = Dataset::<f32, 1, 1>::from_csv(&path, CsvTarget::Columns).unwrap_err();
        assert_eq!(
            single
                .to_string()
                .replace(&path.display().to_string(), "one.csv"),
            "one.csv:2: expected 2 columns (1 feature and 1 target column), found 1"
        );
        let missing = Dataset::<f32, 2, 3>::from_csv("/no/such/file.csv", label).unwrap_err();
        assert!(
            missing
                .to_string()
                .starts_with("cannot read data file /no/such/file.csv: "),
            "{missing}"
        );
    }
}
