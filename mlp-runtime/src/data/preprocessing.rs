//! What a model expects of its data besides the numbers: standardisation, and the names of
//! its classes and columns.

use std::path::Path;

use mlp_spec::counted;

use super::{CsvTarget, DataError, DynDataset, Standardizer};
use crate::float::Float;

/// The data transformations a model expects, saved with it so that a loaded model takes raw
/// inputs exactly as the trained one did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preprocessing {
    /// Standardisation of the inputs, fitted on the training data.
    pub inputs: Option<Standardizer>,
    /// Standardisation of the targets (regression), to map outputs back with
    /// [`Standardizer::invert`].
    pub targets: Option<Standardizer>,
    /// The names of the classes, class 0 first, when the training data's labels were names
    /// ([`DynDataset::class_names`](crate::DynDataset::class_names)); empty otherwise.
    pub class_names: Vec<String>,
    /// The training file's names of the feature columns, in order
    /// ([`DynDataset::feature_names`](crate::DynDataset::feature_names)); empty when it had no
    /// header. [`Preprocessing::check_feature_names`] holds other files to their order.
    pub feature_names: Vec<String>,
    /// The training file's names of the target columns, or of the label column
    /// ([`DynDataset::target_names`](crate::DynDataset::target_names)); empty when it had no
    /// header. `mlp predict` heads a regression's predictions with them.
    pub target_names: Vec<String>,
}

impl Preprocessing {
    /// The preprocessing a model trained on `data` needs: its class and column names, and
    /// the standardisation `inputs` and `targets` (each fitted on the training part).
    pub fn for_data<T: Float>(
        data: &impl AsRef<DynDataset<T>>,
        inputs: Option<Standardizer>,
        targets: Option<Standardizer>,
    ) -> Self {
        Preprocessing {
            inputs,
            targets,
            class_names: data.as_ref().class_names().to_vec(),
            feature_names: data.as_ref().feature_names().to_vec(),
            target_names: data.as_ref().target_names().to_vec(),
        }
    }

    /// Checks that a file's feature columns, named `names` by its header and read as
    /// `target` says, are not the training file's in another order: the mistake a model
    /// cannot see, since it reads columns by position. A column named as the training
    /// file's feature at another position is an error; names the training file did not have
    /// (a file without a header, or with other names) are not.
    ///
    /// # Errors
    ///
    /// [`DataError::FeatureOrder`], naming the first such column.
    pub fn check_feature_names(
        &self,
        path: &Path,
        names: &[String],
        target: CsvTarget,
    ) -> Result<(), DataError> {
        let misplaced = names.iter().enumerate().find_map(|(feature, name)| {
            if self.feature_names.get(feature) == Some(name) {
                return None;
            }
            let trained = self.feature_names.iter().position(|n| n == name)?;
            Some((feature, name, trained))
        });
        let Some((feature, name, trained)) = misplaced else {
            return Ok(());
        };
        let label = target.label_column();
        let column = feature + usize::from(label.is_some_and(|label| label <= feature));
        Err(DataError::FeatureOrder {
            path: path.to_path_buf(),
            column: column + 1,
            name: name.clone(),
            trained: trained + 1,
            order: self.feature_names.join("`, `"),
        })
    }

    /// What in this preprocessing does not fit a model of `inputs` inputs and `outputs`
    /// outputs: the checkpoint metadata key it is saved under, and the problem; `None` when
    /// all of it fits. A standardizer needs a finite mean and a finite, positive standard
    /// deviation for each of the model's columns (one of another width would be applied
    /// to the wrong columns, and a deviation of 0 divides by it); each list of names is
    /// empty or names every column or class (the target names may be one label column's).
    pub(crate) fn misfit(&self, inputs: usize, outputs: usize) -> Option<(&'static str, String)> {
        let scalers = [
            ("input_standardizer", &self.inputs, inputs, "input"),
            ("target_standardizer", &self.targets, outputs, "output"),
        ];
        for (key, scaler, width, unit) in scalers {
            let Some(Standardizer { mean, std }) = scaler else {
                continue;
            };
            if mean.len() != width || std.len() != width {
                let problem = format!(
                    "{} and {} for a network of {}",
                    counted(mean.len(), "mean"),
                    counted(std.len(), "standard deviation"),
                    counted(width, unit)
                );
                return Some((key, problem));
            }
            let bad = |(m, s): (&f64, &f64)| !(m.is_finite() && s.is_finite() && *s > 0.0);
            if let Some(column) = mean.iter().zip(std).position(bad) {
                let problem = format!(
                    "a mean of {} and a standard deviation of {} for column {}: each mean must \
                     be finite, and each deviation finite and above 0",
                    mean[column],
                    std[column],
                    column + 1
                );
                return Some((key, problem));
            }
        }
        // A single output classifies into two classes (a sigmoid's, or hinge's signs).
        let classes = if outputs == 1 { 2 } else { outputs };
        let names = [
            ("feature_names", &self.feature_names, &[inputs][..], "input"),
            (
                "target_names",
                &self.target_names,
                &[outputs, 1][..],
                "output",
            ),
            ("class_names", &self.class_names, &[classes][..], "class"),
        ];
        names.into_iter().find_map(|(key, names, counts, unit)| {
            (!names.is_empty() && !counts.contains(&names.len())).then(|| {
                let problem = format!(
                    "{} for a network of {}",
                    counted(names.len(), "name"),
                    counted(counts[0], unit)
                );
                (key, problem)
            })
        })
    }

    /// The name of class `class`: its name from the data, or its number when the labels
    /// were numbers.
    pub fn class_name(&self, class: usize) -> String {
        self.class_names
            .get(class)
            .cloned()
            .unwrap_or_else(|| class.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trained_on(names: &[&str]) -> Preprocessing {
        Preprocessing {
            feature_names: names.iter().map(|&n| n.to_owned()).collect(),
            ..Preprocessing::default()
        }
    }

    fn check(trained: &Preprocessing, names: &[&str], target: CsvTarget) -> Result<(), String> {
        let names: Vec<String> = names.iter().map(|&n| n.to_owned()).collect();
        trained
            .check_feature_names(Path::new("new.csv"), &names, target)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn what_does_not_fit_the_network_is_named_by_its_key() {
        let fits = Preprocessing {
            inputs: Some(Standardizer::fit(&[1.0f32, 2.0, 3.0, 5.0], 2)),
            targets: Some(Standardizer::fit(&[1.0f32, 2.0], 1)),
            feature_names: vec!["a".into(), "b".into()],
            target_names: vec!["y".into()],
            ..Preprocessing::default()
        };
        assert_eq!(fits.misfit(2, 1), None);
        let misfit = |p: &Preprocessing, inputs, outputs| p.misfit(inputs, outputs).unwrap();
        assert_eq!(
            misfit(&fits, 3, 1),
            (
                "input_standardizer",
                "2 means and 2 standard deviations for a network of 3 inputs".into()
            )
        );
        assert_eq!(misfit(&fits, 2, 2).0, "target_standardizer");
        let mut names = fits.clone();
        names.targets = None;
        // One target name is a label column's; a classifier of 3 outputs takes 3 class names.
        names.class_names = vec!["x".into(), "y".into()];
        assert_eq!(names.misfit(2, 1), None);
        assert_eq!(
            misfit(&names, 2, 3),
            ("class_names", "2 names for a network of 3 classes".into())
        );
        names.target_names = vec!["p".into(), "q".into()];
        assert_eq!(
            misfit(&names, 2, 3),
            ("target_names", "2 names for a network of 3 outputs".into())
        );
        let mut scaled = fits.clone();
        scaled.inputs = Some(Standardizer {
            mean: vec![0.0, f64::NAN],
            std: vec![1.0, 1.0],
        });
        assert_eq!(
            misfit(&scaled, 2, 1),
            (
                "input_standardizer",
                "a mean of NaN and a standard deviation of 1 for column 2: each mean must be \
                 finite, and each deviation finite and above 0"
                    .into()
            )
        );
    }

    #[test]
    fn features_in_another_order_are_refused_where_they_are() {
        let trained = trained_on(&["length", "width", "height"]);
        let columns = CsvTarget::Columns;
        assert_eq!(
            check(&trained, &["length", "width", "height"], columns),
            Ok(())
        );
        assert_eq!(
            check(&trained, &["length", "height", "width"], columns),
            Err(
                "new.csv:1: column 2 is `height`, the network's feature 3 in training; give the \
                 features in the training data's order: `length`, `width`, `height`"
                    .to_owned()
            )
        );
        // With a label column before it, the feature is one column further right.
        for (names, label, start) in [
            (
                ["width", "length", "height"],
                0,
                "column 2 is `width`, the network's feature 2",
            ),
            (
                ["length", "height", "width"],
                1,
                "column 3 is `height`, the network's feature 3",
            ),
        ] {
            let message = check(&trained, &names, CsvTarget::Label(label));
            assert!(
                message
                    .as_ref()
                    .is_err_and(|m| m.starts_with(&format!("new.csv:1: {start}"))),
                "{message:?}"
            );
        }
    }

    #[test]
    fn names_the_training_data_did_not_have_are_not_checked() {
        let trained = trained_on(&["length", "width", "height"]);
        let columns = CsvTarget::Columns;
        assert_eq!(check(&trained, &[], columns), Ok(()));
        assert_eq!(
            check(&trained, &["Length", "Width", "Height"], columns),
            Ok(())
        );
        assert_eq!(
            check(&trained, &["length", "breadth", "height"], columns),
            Ok(())
        );
        assert_eq!(
            check(&trained_on(&[]), &["height", "width", "length"], columns),
            Ok(())
        );
        // A name the training file gave two columns is in place wherever it was.
        let twice = trained_on(&["x", "x", "y"]);
        assert_eq!(check(&twice, &["x", "x", "y"], columns), Ok(()));
        assert!(check(&twice, &["x", "y", "x"], columns).is_err());
    }
}
