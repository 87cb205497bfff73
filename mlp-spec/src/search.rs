//! [`Spec::with_values`]: the spec of one trial of a search, and what a search may vary.
//!
//! A searched key is a dotted path into the spec's canonical form (`optimizer.lr`,
//! `regularization.l2`, `training.epochs`, `layers.0.units`), so a trial's spec is the base
//! spec with those values written in and validated again: every value obeys the rules of
//! the key it replaces, with the same messages.

use crate::error::{SpecError, SpecErrors};
use crate::ir::Spec;
use crate::ir::search::HIDDEN_LAYERS;
use crate::validate::{get, searchable, set, tree as validate_tree};
use crate::yaml;

impl Spec {
    /// The spec of one trial: this spec without its `search` section, with each `(key,
    /// value)` written in (a whole-number key takes the value rounded) and validated again.
    ///
    /// ```
    /// let spec = mlp_spec::parse(
    ///     "input: 2\nlayers: [{units: 8, activation: relu}, {units: 1}]\nloss: mse\n\
    ///      optimizer: {kind: adam, lr: 0.01}\n",
    /// )
    /// .unwrap();
    /// let trial = spec.with_values(&[("optimizer.lr", 0.1), ("hidden_layers", 2.0)]).unwrap();
    /// assert_eq!(trial.optimizer.lr(), 0.1);
    /// assert_eq!(trial.shape(), "2-8-8-1");
    /// let error = spec.with_values(&[("optimizer.lr", -1.0)]).unwrap_err();
    /// assert!(error.to_string().contains("`lr` must be a finite number > 0"), "{error}");
    /// ```
    ///
    /// # Errors
    ///
    /// A key the spec cannot search, or a value its key's rules refuse; the errors carry no
    /// location (they are about values, not the file).
    pub fn with_values<K: AsRef<str>>(&self, values: &[(K, f64)]) -> Result<Spec, SpecErrors> {
        let mut base = self.clone();
        base.search = None;
        let mut tree = yaml::parse(&base.canonical_yaml()).map_err(|e| SpecErrors::new(vec![e]))?;
        // Depth first, so that `layers.N.units` refers to the layers of the trial.
        let (depth, others): (Vec<_>, Vec<_>) = values
            .iter()
            .partition(|(key, _)| key.as_ref() == HIDDEN_LAYERS);
        for (key, value) in depth.into_iter().chain(others) {
            set(&mut tree, key.as_ref(), *value).map_err(|message| {
                SpecErrors::new(vec![SpecError {
                    location: None,
                    message,
                    help: None,
                }])
            })?;
        }
        checked(&tree)
    }

    /// Checks a spec built or changed in code by the rules a spec file obeys, with the same
    /// messages: each names the key's path (`training.validation_split: ...`,
    /// `search.folds: ...`), since there is no file to locate it in.
    ///
    /// ```
    /// let mut spec = mlp_spec::parse("input: 2\nlayers: [{units: 1}]\nloss: mse\n").unwrap();
    /// assert!(spec.check().is_ok());
    /// spec.training.validation_split = 1.5;
    /// let error = spec.check().unwrap_err().to_string();
    /// assert!(error.starts_with("training.validation_split: "), "{error}");
    /// ```
    ///
    /// # Errors
    ///
    /// Every value the rules refuse.
    pub fn check(&self) -> Result<(), SpecErrors> {
        let tree = yaml::parse(&self.canonical_yaml()).map_err(|e| SpecErrors::new(vec![e]))?;
        checked(&tree).map(drop)
    }

    /// The value of a searchable key in this spec (`hidden_layers`: the number of hidden
    /// layers); `None` for a key it does not have or that is unset (`clip_grad_norm: null`).
    pub fn value_of(&self, key: &str) -> Option<f64> {
        if key == HIDDEN_LAYERS {
            return Some(self.layers.len().saturating_sub(1) as f64);
        }
        let mut base = self.clone();
        base.search = None;
        let tree = yaml::parse(&base.canonical_yaml()).ok()?;
        get(&tree, key)
    }

    /// The keys a search of this spec may vary: every number under `optimizer`, `schedule`,
    /// `regularization` and `training` (with `training.clip_grad_norm`, without
    /// `training.validation_split`), which a compiled
    /// network takes at run time; then the sizes, for the dynamic engine: each hidden
    /// layer's `layers.N.units`, `hidden_layers` and `batch_size`.
    pub fn searchable_keys(&self) -> Vec<String> {
        let mut base = self.clone();
        base.search = None;
        match yaml::parse(&base.canonical_yaml()) {
            Ok(tree) => searchable(&tree),
            Err(_) => Vec::new(),
        }
    }
}

/// The spec of a tree, or its problems, each named by its key's path (there is no file to
/// locate them in).
fn checked(tree: &yaml::Value) -> Result<Spec, SpecErrors> {
    validate_tree(tree).map_err(|issues| {
        let errors = issues
            .into_iter()
            .map(|(path, message, help)| SpecError {
                location: None,
                message: format!("{path}: {message}"),
                help,
            })
            .collect();
        SpecErrors::new(errors)
    })
}

#[cfg(test)]
mod tests {
    use crate::is_run_time;

    const SPEC: &str = "input: 3\nlayers:\n  - {units: 8, activation: relu}\n  - {units: 2, activation: softmax}\n\
                        loss: cross_entropy\noptimizer: {kind: momentum, lr: 0.1, momentum: 0.9}\n\
                        training: {epochs: 10}\n";

    #[test]
    fn the_largest_sizes_are_each_size_keys_largest_value() {
        let largest = |search: &str| {
            let spec = crate::parse(&format!("{SPEC}search:\n{search}")).unwrap();
            let sizes = spec.search.as_ref().unwrap().largest_sizes();
            let trial = spec.with_values(&sizes).unwrap();
            (sizes, trial.shape(), trial.batch_size)
        };
        let (sizes, shape, batch) = largest(
            "  method: random\n  trials: 4\n  space:\n    \
             optimizer.lr: {log_uniform: [0.001, 0.1]}\n    layers.0.units: [8, 64, 16]\n    \
             batch_size: {log_uniform: [4, 500]}\n",
        );
        let expected = [
            ("layers.0.units".to_owned(), 64.0),
            ("batch_size".to_owned(), 500.0),
        ];
        assert_eq!(
            (sizes, shape.as_str(), batch),
            (expected.to_vec(), "3-64-2", 500)
        );
        let (sizes, shape, _) = largest("  space: {hidden_layers: [3, 1], optimizer.lr: [0.1]}\n");
        assert_eq!(
            (sizes, shape.as_str()),
            (vec![("hidden_layers".to_owned(), 3.0)], "3-8-8-8-2")
        );
        let (sizes, shape, _) = largest("  space: {optimizer.lr: [0.01, 0.1]}\n");
        assert_eq!((sizes, shape.as_str()), (vec![], "3-8-2"));
    }

    #[test]
    fn searchable_keys_are_the_specs_numbers_then_its_sizes() {
        let spec = crate::parse(SPEC).unwrap();
        let keys = spec.searchable_keys();
        for key in [
            "optimizer.lr",
            "optimizer.momentum",
            "regularization.l2",
            "training.epochs",
            "training.clip_grad_norm",
            "layers.0.units",
            "hidden_layers",
            "batch_size",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
        }
        assert!(
            !keys.iter().any(|k| k == "layers.1.units"),
            "the output layer"
        );
        assert!(!keys.iter().any(|k| k == "optimizer.beta1"));
        let run_time: Vec<_> = keys.iter().filter(|k| is_run_time(k)).collect();
        assert!(run_time.iter().all(|k| !k.starts_with("layers")));
    }

    #[test]
    fn whole_number_keys_take_rounded_values_and_depth_repeats_the_last_hidden_layer() {
        let spec = crate::parse(SPEC).unwrap();
        let trial = spec
            .with_values(&[
                ("training.epochs", 19.6),
                ("layers.2.units", 5.0),
                ("hidden_layers", 3.0),
            ])
            .unwrap();
        assert_eq!(trial.training.epochs, 20);
        assert_eq!(trial.shape(), "3-8-8-5-2");
        assert_eq!(
            spec.with_values(&[("hidden_layers", 0.0)]).unwrap().shape(),
            "3-2"
        );
        assert_eq!(trial.value_of("training.epochs"), Some(20.0));
        assert_eq!(trial.value_of("hidden_layers"), Some(3.0));
        assert_eq!(trial.value_of("optimizer.momentum"), Some(0.9));
        assert_eq!(trial.value_of("training.clip_grad_norm"), None);
        // A depth past the most is refused before its layers are made.
        assert_eq!(
            spec.with_values(&[("hidden_layers", 1024.0)])
                .unwrap()
                .layers
                .len(),
            1025
        );
        let deep = spec.with_values(&[("hidden_layers", 1e9)]).unwrap_err();
        assert_eq!(
            deep.to_string(),
            "`hidden_layers` must be at most 1024, found 1000000000"
        );
        let unknown = spec.with_values(&[("optimizer.beta1", 0.5)]).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "the spec has no hyper-parameter `optimizer.beta1`"
        );
    }
}
