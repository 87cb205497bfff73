//! Seeded train/test splits, plain and stratified.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use super::DynDataset;
use crate::float::Float;

/// A uniform index in `0..n` from 64 random bits (Lemire's multiply-shift; the bias is below
/// 2^-40 for any data size here, and the result is the same on every platform).
pub(crate) fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    ((u128::from(rng.next_u64()) * n as u128) >> 64) as usize
}

/// Shuffles `items` in place with Fisher-Yates.
pub(crate) fn shuffle<X>(rng: &mut ChaCha8Rng, items: &mut [X]) {
    for i in (1..items.len()).rev() {
        items.swap(i, below(rng, i + 1));
    }
}

/// A split's share of the samples must be one: a programming error otherwise, as an index
/// out of range is (the `mlp` command checks its options before).
fn check_fraction(test_fraction: f64) {
    assert!(
        (0.0..=1.0).contains(&test_fraction),
        "a split's test_fraction is the share of the samples it holds out, from 0 to 1; \
         found {test_fraction}"
    );
}

impl<T: Float> DynDataset<T> {
    /// Splits off a seeded random `test_fraction` of the samples: `(rest, test)`.
    ///
    /// # Panics
    ///
    /// If `test_fraction` is not between 0 and 1.
    pub fn split(&self, test_fraction: f64, seed: u64) -> (Self, Self) {
        check_fraction(test_fraction);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut order: Vec<usize> = (0..self.len()).collect();
        shuffle(&mut rng, &mut order);
        let test = (self.len() as f64 * test_fraction).round() as usize;
        let (test, rest) = order.split_at(test);
        (self.subset(rest), self.subset(test))
    }

    /// Like [`DynDataset::split`], but each class (see [`DynDataset::class`]) is split in
    /// the same proportion, so both parts keep the class balance.
    ///
    /// # Panics
    ///
    /// If `test_fraction` is not between 0 and 1.
    pub fn stratified_split(&self, test_fraction: f64, seed: u64) -> (Self, Self) {
        check_fraction(test_fraction);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let classes = self.output_width().max(2);
        let mut by_class = vec![Vec::new(); classes];
        for index in 0..self.len() {
            by_class[self.class(index)].push(index);
        }
        let (mut rest, mut test) = (Vec::new(), Vec::new());
        for members in &mut by_class {
            shuffle(&mut rng, members);
            let cut = (members.len() as f64 * test_fraction).round() as usize;
            test.extend_from_slice(&members[..cut]);
            rest.extend_from_slice(&members[cut..]);
        }
        // Interleave the classes again, so the training order carries no class blocks.
        shuffle(&mut rng, &mut rest);
        shuffle(&mut rng, &mut test);
        (self.subset(&rest), self.subset(&test))
    }

    /// The `k` folds of k-fold cross-validation, as `(training, validation)` pairs: a seeded
    /// shuffle cut into `k` parts whose sizes differ by at most one; each sample is in
    /// exactly one validation part. Both parts keep the data's order.
    ///
    /// # Panics
    ///
    /// If `k` is 0 or more than the number of samples.
    pub fn k_fold(&self, k: usize, seed: u64) -> Vec<(Self, Self)> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        shuffle(&mut ChaCha8Rng::seed_from_u64(seed), &mut order);
        let mut fold_of = vec![0; self.len()];
        for (position, &sample) in order.iter().enumerate() {
            fold_of[sample] = position * k / self.len().max(1);
        }
        self.folds(k, &fold_of)
    }

    /// Like [`DynDataset::k_fold`], but each class (see [`DynDataset::class`]) is dealt to
    /// the folds in turn, so every validation part holds each class within one sample of
    /// its share of the whole (scikit-learn's `StratifiedKFold`).
    ///
    /// # Panics
    ///
    /// If `k` is 0 or more than the number of samples.
    pub fn stratified_k_fold(&self, k: usize, seed: u64) -> Vec<(Self, Self)> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut by_class = vec![Vec::new(); self.output_width().max(2)];
        for index in 0..self.len() {
            by_class[self.class(index)].push(index);
        }
        let mut fold_of = vec![0; self.len()];
        // Dealing continues across classes, so fold sizes also differ by at most one.
        let mut next = 0;
        for members in &mut by_class {
            shuffle(&mut rng, members);
            for &sample in members.iter() {
                fold_of[sample] = next % k;
                next += 1;
            }
        }
        self.folds(k, &fold_of)
    }

    /// The `(training, validation)` pair of each fold, given the fold of each sample.
    fn folds(&self, k: usize, fold_of: &[usize]) -> Vec<(Self, Self)> {
        assert!(
            (1..=self.len()).contains(&k),
            "k-fold needs 1 <= k <= {} (the number of samples), found k = {k}",
            self.len()
        );
        (0..k)
            .map(|fold| {
                let (validation, training): (Vec<usize>, Vec<usize>) =
                    (0..self.len()).partition(|&i| fold_of[i] == fold);
                (self.subset(&training), self.subset(&validation))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::data::Dataset;

    fn labelled(n: usize) -> Dataset<f32, 1, 2> {
        let inputs: Vec<f32> = (0..n).map(|i| i as f32).collect();
        // A quarter of class 1.
        let targets: Vec<f32> = (0..n)
            .flat_map(|i| if i % 4 == 0 { [0.0, 1.0] } else { [1.0, 0.0] })
            .collect();
        Dataset::from_slices(&inputs, &targets).unwrap()
    }

    #[test]
    fn splits_partition_the_samples_and_depend_only_on_the_seed() {
        let data = labelled(100);
        let (rest, test) = data.split(0.2, 9);
        assert_eq!((rest.len(), test.len()), (80, 20));
        let mut all: Vec<f32> = rest.inputs().iter().chain(test.inputs()).copied().collect();
        all.sort_by(f32::total_cmp);
        assert_eq!(all, data.inputs());
        assert_eq!(data.split(0.2, 9), (rest, test));
        assert_ne!(data.split(0.2, 10).1, data.split(0.2, 9).1);
    }

    #[test]
    fn fractions_from_0_to_1_split_and_others_panic_with_the_reason() {
        let data = labelled(8);
        assert_eq!(data.split(0.0, 0).1.len(), 0);
        assert_eq!(data.stratified_split(1.0, 0).1.len(), 8);
        for fraction in [1.5, -0.1, f64::NAN] {
            for stratified in [false, true] {
                let panic = std::panic::catch_unwind(|| match stratified {
                    false => data.split(fraction, 0),
                    true => data.stratified_split(fraction, 0),
                })
                .unwrap_err();
                let message = panic.downcast_ref::<String>().unwrap();
                assert_eq!(
                    *message,
                    format!(
                        "a split's test_fraction is the share of the samples it holds out, \
                         from 0 to 1; found {fraction}"
                    )
                );
            }
        }
    }

    #[test]
    fn stratified_splits_keep_the_class_balance() {
        let data = labelled(100);
        let (rest, test) = data.stratified_split(0.2, 3);
        let ones = |d: &Dataset<f32, 1, 2>| (0..d.len()).filter(|&i| d.class(i) == 1).count();
        assert_eq!((test.len(), ones(&test)), (20, 5));
        assert_eq!((rest.len(), ones(&rest)), (80, 20));
    }

    #[test]
    fn every_sample_is_in_exactly_one_validation_fold() {
        let data = labelled(103);
        for folds in [data.k_fold(5, 1), data.stratified_k_fold(5, 1)] {
            let mut seen: Vec<f32> = Vec::new();
            for (training, validation) in &folds {
                assert_eq!(training.len() + validation.len(), 103);
                assert!(
                    (20..=21).contains(&validation.len()),
                    "{}",
                    validation.len()
                );
                assert!(
                    validation
                        .inputs()
                        .iter()
                        .all(|x| !training.inputs().contains(x))
                );
                seen.extend_from_slice(validation.inputs());
            }
            seen.sort_by(f32::total_cmp);
            assert_eq!(seen, data.inputs());
        }
    }

    #[test]
    fn stratified_folds_keep_each_class_within_one_sample_of_its_share() {
        // Three classes of 50, 30 and 17 samples.
        let targets: Vec<f32> = (0..97)
            .flat_map(|i| {
                let class = if i < 50 {
                    0
                } else if i < 80 {
                    1
                } else {
                    2
                };
                (0..3).map(move |k| if k == class { 1.0 } else { 0.0 })
            })
            .collect();
        let inputs: Vec<f32> = (0..97).map(|i| i as f32).collect();
        let data = Dataset::<f32, 1, 3>::from_slices(&inputs, &targets).unwrap();
        let whole = data.as_dyn().class_counts();
        for k in [2, 3, 5, 10] {
            for (_, validation) in data.as_dyn().stratified_k_fold(k, 7) {
                let counts = validation.class_counts();
                for (class, &count) in counts.iter().enumerate() {
                    let share = whole[class] as f64 * validation.len() as f64 / 97.0;
                    assert!(
                        (count as f64 - share).abs() <= 1.0,
                        "k {k}, class {class}: {count} vs {share}"
                    );
                }
            }
        }
    }

    #[test]
    fn shuffling_is_a_permutation() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut items: Vec<usize> = (0..1000).collect();
        shuffle(&mut rng, &mut items);
        assert_ne!(items, (0..1000).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..1000).collect::<Vec<_>>());
    }
}
