//! What a model expects of its data besides the numbers: standardisation and class names.

use super::{DynDataset, Standardizer};
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
}

impl Preprocessing {
    /// The preprocessing a model trained on `data` needs: its class names, and the
    /// standardisation `inputs` and `targets` (each fitted on the training part).
    pub fn for_data<T: Float>(
        data: &impl AsRef<DynDataset<T>>,
        inputs: Option<Standardizer>,
        targets: Option<Standardizer>,
    ) -> Self {
        Preprocessing {
            inputs,
            targets,
            class_names: data.as_ref().class_names().to_vec(),
        }
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
