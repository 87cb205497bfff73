//! Seeded test data.

use mlp_runtime::{Float, Network, Sample};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A seeded source of test numbers.
pub struct Data {
    rng: ChaCha8Rng,
}

impl Data {
    pub fn new(seed: u64) -> Self {
        Data {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal.
    pub fn normal(&mut self) -> f64 {
        let r = (-2.0 * (1.0 - self.unit()).ln()).sqrt();
        r * (2.0 * std::f64::consts::PI * self.unit()).cos()
    }

    /// `count` samples of type `S` whose values come from `draw`.
    pub fn samples<T: Float, S: Sample<T>>(
        &mut self,
        count: usize,
        mut draw: impl FnMut(&mut Self) -> Vec<f64>,
    ) -> Vec<S> {
        (0..count)
            .map(|_| {
                let values: Vec<T> = draw(self).into_iter().map(T::cast).collect();
                S::from_slice(&values)
            })
            .collect()
    }

    /// `count` standard-normal inputs for network `N`.
    pub fn inputs<N: Network>(&mut self, count: usize) -> Vec<N::Input> {
        self.samples(count, |d| (0..N::INPUTS).map(|_| d.normal()).collect())
    }
}
