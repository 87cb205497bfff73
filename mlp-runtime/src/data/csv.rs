//! Loading a dataset from a CSV file with a header row.

use std::path::{Path, PathBuf};

use super::{DataError, DynDataset};
use crate::float::Float;

/// How the columns of a CSV file map to features and targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvTarget {
    /// The feature columns, then the target columns.
    Columns,
    /// One column (0-based) holds an integer class label; every other column is a feature,
    /// in file order. With two or more outputs the label `k` becomes a one-hot target; with
    /// one output (a sigmoid) it must be 0 or 1 and is the target itself.
    Label(usize),
}

impl<T: Float> DynDataset<T> {
    /// Reads a CSV file whose first row is a header, for samples of `input_width` features
    /// and `output_width` targets.
    ///
    /// # Errors
    ///
    /// A [`DataError`] naming the file, line and column for: a missing or unreadable file,
    /// malformed CSV, a row with the wrong number of columns, a cell that is not a number, a
    /// NaN or infinite value, a class label out of range, or a file without samples.
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
        let (features, outputs) = (input_width, output_width);
        let path = path.as_ref().to_path_buf();
        let file = std::fs::File::open(&path).map_err(|source| DataError::Io {
            path: path.clone(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(file);
        let malformed = |path: &PathBuf, error: csv::Error| match error.kind() {
            csv::ErrorKind::Io(_) => DataError::Io {
                path: path.clone(),
                source: std::io::Error::other(error.to_string()),
            },
            _ => DataError::Malformed {
                path: path.clone(),
                line: error.position().map_or(0, csv::Position::line),
                message: error.to_string(),
            },
        };
        let headers = reader
            .headers()
            .map_err(|e| malformed(&path, e))?
            .iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        let (expected, targets_desc) = match target {
            CsvTarget::Columns => (features + outputs, format!("{outputs} target columns")),
            CsvTarget::Label(_) => (features + 1, "a label column".to_owned()),
        };
        if let CsvTarget::Label(column) = target
            && column >= headers.len().max(expected)
        {
            return Err(DataError::LabelColumn {
                path,
                column,
                columns: headers.len(),
            });
        }
        let mut data = DynDataset::new(features, outputs);
        let mut record = csv::StringRecord::new();
        while reader
            .read_record(&mut record)
            .map_err(|e| malformed(&path, e))?
        {
            let line = record.position().map_or(0, csv::Position::line);
            if record.len() != expected {
                return Err(DataError::ColumnCount {
                    path,
                    line,
                    expected,
                    features,
                    targets: targets_desc,
                    found: record.len(),
                });
            }
            let header = |column: usize| {
                headers
                    .get(column)
                    .map_or_else(|| format!("column {}", column + 1), |h| format!("`{h}`"))
            };
            let number = |column: usize| -> Result<T, DataError> {
                let cell = &record[column];
                let value: f64 = cell.parse().map_err(|_| DataError::NotANumber {
                    path: path.clone(),
                    line,
                    column: column + 1,
                    header: header(column),
                    value: cell.to_owned(),
                })?;
                if !value.is_finite() {
                    return Err(DataError::NotFinite {
                        source_name: path.display().to_string(),
                        row: line as usize,
                        column: column + 1,
                        value: cell.to_owned(),
                    });
                }
                Ok(T::cast(value))
            };
            match target {
                CsvTarget::Columns => {
                    for column in 0..features + outputs {
                        let value = number(column)?;
                        if column < features {
                            data.inputs.push(value);
                        } else {
                            data.targets.push(value);
                        }
                    }
                }
                CsvTarget::Label(label_column) => {
                    for column in (0..expected).filter(|&c| c != label_column) {
                        data.inputs.push(number(column)?);
                    }
                    let classes = outputs.max(2);
                    let cell = &record[label_column];
                    let label = cell
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v < classes as f64)
                        .ok_or_else(|| DataError::Label {
                            path: path.clone(),
                            line,
                            column: label_column + 1,
                            header: header(label_column),
                            value: cell.to_owned(),
                            max: classes - 1,
                        })? as usize;
                    if outputs == 1 {
                        data.targets.push(T::cast(label as f64));
                    } else {
                        data.targets.extend(
                            (0..outputs).map(|k| if k == label { T::one() } else { T::zero() }),
                        );
                    }
                }
            }
        }
        if data.is_empty() {
            return Err(DataError::Empty { path });
        }
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mlp-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn error(name: &str, text: &str, target: CsvTarget) -> String {
        let path = write(name, text);
        let message = match Dataset::<f32, 2, 3>::from_csv(&path, target) {
            Ok(_) => panic!("{name} should be rejected"),
            Err(e) => e.to_string(),
        };
        message.replace(&path.display().to_string(), name)
    }

    #[test]
    fn labels_become_one_hot_and_columns_stay_values() {
        let path = write("ok.csv", "a,b,class\n1,2,0\n3.5, -4 ,2\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Label(2)).unwrap();
        assert_eq!(data.len(), 2);
        assert_eq!(data.inputs(), &[1.0, 2.0, 3.5, -4.0]);
        assert_eq!(data.targets(), &[1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        assert_eq!(data.class(1), 2);

        let path = write("label-first.csv", "y,a,b\n1,5,6\n");
        let data = Dataset::<f64, 2, 1>::from_csv(&path, CsvTarget::Label(0)).unwrap();
        assert_eq!(
            (data.inputs(), data.targets()),
            (&[5.0, 6.0][..], &[1.0][..])
        );

        let path = write("columns.csv", "a,b,y1,y2,y3\n1,2,3,4,5\n");
        let data = Dataset::<f32, 2, 3>::from_csv(&path, CsvTarget::Columns).unwrap();
        assert_eq!(data.targets(), &[3.0, 4.0, 5.0]);
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
        assert_eq!(
            error("nan.csv", "a,b,class\n1,NaN,0\n", label),
            "nan.csv: row 2, column 2: value NaN is not finite; remove or impute it"
        );
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
            "far.csv: label column 7 is out of range: the file has 3 columns"
        );
        assert_eq!(
            error("targets.csv", "a,b,c\n1,2,3\n", CsvTarget::Columns),
            "targets.csv:2: expected 5 columns (2 features and 3 target columns), found 3"
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
