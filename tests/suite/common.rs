//! Seeded test data, and a hook that records a training run.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;

use mlp_runtime::{
    EpochHook, EpochRecord, Float, Model, Sample, StaticModel, TrainError, TrainingState,
};
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
    pub fn inputs<N: StaticModel>(&mut self, count: usize) -> Vec<N::Input> {
        self.samples(count, |d| (0..N::INPUTS).map(|_| d.normal()).collect())
    }
}

/// An epoch hook that records the parameters after every epoch.
pub struct Recorder<T>(pub Rc<RefCell<Vec<Vec<T>>>>);

impl<T> Recorder<T> {
    /// A recorder and the list it fills.
    pub fn new() -> (Self, Rc<RefCell<Vec<Vec<T>>>>) {
        let list = Rc::new(RefCell::new(Vec::new()));
        (Recorder(list.clone()), list)
    }
}

impl<M: Model> EpochHook<M> for Recorder<M::Float> {
    fn after_epoch(
        &mut self,
        _record: &EpochRecord,
        model: &M,
        _state: &TrainingState<M::Float>,
    ) -> Result<ControlFlow<()>, TrainError> {
        self.0.borrow_mut().push(model.params().to_vec());
        Ok(ControlFlow::Continue(()))
    }
}

/// Moves batch norm's running statistics off their start (mean 0, variance 1), so that
/// evaluation normalises with values of its own.
pub fn move_running_statistics<M: Model>(model: &mut M) {
    let layout = model.layout().to_vec();
    for segment in layout.iter().filter(|s| s.role.is_buffer()) {
        for (k, value) in model.params_mut()[segment.range()].iter_mut().enumerate() {
            *value = M::Float::cast(0.5 + 0.25 * (k % 3) as f64);
        }
    }
}
