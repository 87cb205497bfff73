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

impl<T: Float> DynDataset<T> {
    /// Splits off a seeded random `test_fraction` of the samples: `(rest, test)`.
    pub fn split(&self, test_fraction: f64, seed: u64) -> (Self, Self) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut order: Vec<usize> = (0..self.len()).collect();
        shuffle(&mut rng, &mut order);
        let test = (self.len() as f64 * test_fraction).round() as usize;
        let (test, rest) = order.split_at(test);
        (self.subset(rest), self.subset(test))
    }

    /// Like [`DynDataset::split`], but each class (see [`DynDataset::class`]) is split in
    /// the same proportion, so both parts keep the class balance.
    pub fn stratified_split(&self, test_fraction: f64, seed: u64) -> (Self, Self) {
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
    fn stratified_splits_keep_the_class_balance() {
        let data = labelled(100);
        let (rest, test) = data.stratified_split(0.2, 3);
        let ones = |d: &Dataset<f32, 1, 2>| (0..d.len()).filter(|&i| d.class(i) == 1).count();
        assert_eq!((test.len(), ones(&test)), (20, 5));
        assert_eq!((rest.len(), ones(&rest)), (80, 20));
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
