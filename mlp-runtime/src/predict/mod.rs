//! Predictions for any number of samples: outputs, class probabilities and classes, from raw
//! inputs when the model's preprocessing is known, into the caller's buffers, in chunks of
//! the batch size through the batched passes, on as many threads as asked.
//!
//! ```
//! use mlp_runtime::{DynNetwork, Predictor};
//!
//! let net = DynNetwork::<f32>::from_yaml(
//!     "input: 2\nlayers:\n  - {units: 4, activation: tanh}\n  - {units: 3, activation: softmax}\nloss: cross_entropy\nbatch_size: 2\n",
//! )
//! .unwrap();
//! let inputs = [0.5, -0.5, 1.0, 2.0, -1.0, 0.0]; // three samples, more than one batch
//! let mut predictor = Predictor::new(&net);
//! let mut probabilities = [0.0; 9];
//! predictor.predict_proba(&inputs, &mut probabilities).unwrap();
//! assert!((probabilities[..3].iter().sum::<f32>() - 1.0).abs() < 1e-6);
//! let mut classes = [0; 3];
//! predictor.predict_class(&inputs, &mut classes).unwrap();
//! assert!(classes.iter().all(|&k| k < 3));
//! ```

mod error;
mod parallel;

use mlp_spec::{Loss, MAX_THREADS};

use crate::data::Preprocessing;
use crate::data::class_of;
use crate::float::{Float, first_not_finite};
use crate::layer::SharedProduct;
use crate::metrics::Task;
use crate::model::Model;

pub use error::PredictError;

/// Predicts with a model of either engine: any number of samples, written into the caller's
/// buffers, with no allocation after [`Predictor::new`]. Samples are laid out one after the
/// other (`inputs[j * input_size..(j + 1) * input_size]` is sample `j`), as everywhere in
/// this crate.
///
/// With [`Predictor::with_preprocessing`] it takes raw inputs: it standardises them as the
/// model's training data was, and maps a regression's outputs back to the targets' units.
/// A model loaded from a checkpoint gives one set up this way
/// ([`Loaded::predictor`](crate::checkpoint::Loaded::predictor)).
///
/// Every result is the same whatever the number of threads: the samples are cut into the
/// same chunks of the batch size, and each chunk is computed alone.
pub struct Predictor<'m, M: Model> {
    model: &'m M,
    preprocessing: Preprocessing,
    threshold: f64,
    task: Task,
    /// The model's loss, which says whether its outputs are probabilities.
    loss: Loss,
    /// One set of buffers per thread; the first is the calling thread's.
    workers: Vec<Worker<M>>,
    /// The first layer's product shared out to the threads, for predictions of one sample.
    shared: Option<SharedProduct<M::Float>>,
    /// What of the preprocessing does not fit the model ([`Preprocessing::misfit`]).
    misfit: Option<(&'static str, String)>,
}

/// A thread's buffers: the model's workspace, and one chunk of standardised inputs and of
/// outputs.
pub(crate) struct Worker<M: Model> {
    workspace: M::Workspace,
    inputs: Vec<M::Float>,
    outputs: Vec<M::Float>,
}

impl<'m, M: Model> Predictor<'m, M> {
    /// A predictor that feeds inputs to `model` as they are and returns its outputs as they
    /// are, on one thread.
    pub fn new(model: &'m M) -> Self {
        Self::with_preprocessing(model, &Preprocessing::default())
    }

    /// A predictor that takes raw inputs: it applies `preprocessing`'s input
    /// standardisation, and inverts its target standardisation on the outputs of
    /// [`Predictor::predict`]. A preprocessing that does not fit the model (a standardizer
    /// of another width) makes every prediction an error, [`PredictError::Preprocessing`].
    pub fn with_preprocessing(model: &'m M, preprocessing: &Preprocessing) -> Self {
        let loss = model.spec().loss;
        let task = Task::for_loss(&loss);
        let threshold = match task {
            Task::Classification { threshold } => threshold,
            Task::Regression => 0.5,
        };
        Predictor {
            model,
            preprocessing: preprocessing.clone(),
            threshold,
            task,
            loss,
            workers: vec![Worker::new(model)],
            shared: None,
            misfit: preprocessing.misfit(model.input_size(), model.output_size()),
        }
    }

    /// Sets the decision threshold of a one-output classifier: a sample is of class 1 when
    /// its output is above it. The default is 0.5 for a sigmoid output and 0 for hinge loss.
    pub fn with_threshold(mut self, threshold: f64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Spreads predictions of more than one batch over `threads` threads (0: one per core),
    /// each with its own buffers, allocated here. Results do not depend on the count. A count
    /// above [`MAX_THREADS`] (256) takes that many, as `training.threads` allows at most: each
    /// thread's buffers hold a batch of the model's layers, so a mistaken count in the
    /// millions would take all the memory before the first prediction.
    ///
    /// A prediction of one sample runs on the calling thread, unless the model's first layer
    /// is large enough for its product to pay for sharing out
    /// ([`Plan::shared_product_parts`](mlp_spec::Plan::shared_product_parts); `mlp expand`
    /// says whether it is): threads, started here, then each multiply their own rows of its
    /// weight, which they copy here. They wait for the next sample spinning for 0.2 ms, and
    /// then asleep, until the predictor is dropped.
    pub fn with_threads(mut self, threads: usize) -> Self {
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
        .min(MAX_THREADS);
        self.workers.truncate(threads);
        while self.workers.len() < threads {
            self.workers.push(Worker::new(self.model));
        }
        let plan = self.model.spec().plan();
        self.shared = SharedProduct::new(&plan, self.model.params(), threads);
        self
    }

    /// The threads predictions of more than one batch are spread over
    /// ([`Predictor::with_threads`]).
    pub fn threads(&self) -> usize {
        self.workers.len()
    }

    /// The threads a prediction of one sample runs on: more than one where the model's first
    /// product is shared out to the predictor's threads ([`Predictor::with_threads`]).
    pub fn one_sample_threads(&self) -> usize {
        self.shared.as_ref().map_or(1, SharedProduct::threads)
    }

    /// The model.
    pub fn model(&self) -> &'m M {
        self.model
    }

    /// The preprocessing applied to inputs and outputs.
    pub fn preprocessing(&self) -> &Preprocessing {
        &self.preprocessing
    }

    /// The number of classes of a classifier (two for a one-output classifier), `None` for a
    /// regression.
    pub fn classes(&self) -> Option<usize> {
        match self.task {
            Task::Classification { .. } => Some(self.model.output_size().max(2)),
            Task::Regression => None,
        }
    }

    /// Writes the outputs of every sample of `inputs` into `outputs`
    /// (`output_size()` values per sample); returns the number of samples. A regression's
    /// outputs are in the targets' units when the predictor has their standardisation.
    ///
    /// # Errors
    ///
    /// [`PredictError::Inputs`] if `inputs` is not a whole number of samples,
    /// [`PredictError::Outputs`] if `outputs` has not room for exactly their outputs, and
    /// [`PredictError::NotFinite`] if an input is NaN or infinite (as scikit-learn refuses
    /// them), when `outputs` is left partly written; and [`PredictError::Preprocessing`] if
    /// the predictor's preprocessing does not fit the model.
    pub fn predict(
        &mut self,
        inputs: &[M::Float],
        outputs: &mut [M::Float],
    ) -> Result<usize, PredictError> {
        let width = self.model.output_size();
        self.run(inputs, outputs, width, |preprocessing, chunk, out| {
            out.copy_from_slice(chunk);
            if let Some(scaler) = &preprocessing.targets {
                scaler.invert(out);
            }
        })
    }

    /// Writes each sample's class probabilities into `probabilities`, one value per class
    /// ([`Predictor::classes`]): a softmax output as it is, a sigmoid output `p` as
    /// `[1 - p, p]` (scikit-learn's `predict_proba`), several sigmoid outputs (multi-label)
    /// as they are. Returns the number of samples.
    ///
    /// # Errors
    ///
    /// As [`Predictor::predict`], and [`PredictError::NotProbabilistic`] for a regression or
    /// a hinge-loss classifier, whose outputs are not probabilities.
    pub fn predict_proba(
        &mut self,
        inputs: &[M::Float],
        probabilities: &mut [M::Float],
    ) -> Result<usize, PredictError> {
        let classes = match self.classes() {
            Some(classes) if self.loss != Loss::Hinge => classes,
            _ => {
                return Err(PredictError::NotProbabilistic {
                    loss: self.loss.name(),
                });
            }
        };
        let outputs = self.model.output_size();
        self.run(inputs, probabilities, classes, move |_, chunk, out| {
            if outputs == 1 {
                for (p, pair) in chunk.iter().zip(out.chunks_exact_mut(2)) {
                    pair.copy_from_slice(&[M::Float::cast(1.0) - *p, *p]);
                }
            } else {
                out.copy_from_slice(chunk);
            }
        })
    }

    /// Writes each sample's class into `classes`: the largest of several outputs, or a
    /// single output above the threshold ([`Predictor::with_threshold`]). Returns the number
    /// of samples.
    ///
    /// # Errors
    ///
    /// As [`Predictor::predict`], and [`PredictError::NotAClassifier`] for a regression.
    pub fn predict_class(
        &mut self,
        inputs: &[M::Float],
        classes: &mut [usize],
    ) -> Result<usize, PredictError> {
        if self.classes().is_none() {
            return Err(PredictError::NotAClassifier {
                loss: self.loss.name(),
            });
        }
        let (outputs, threshold) = (self.model.output_size(), self.threshold);
        self.run(inputs, classes, 1, move |_, chunk, out| {
            for (values, class) in chunk.chunks_exact(outputs).zip(out) {
                *class = match values {
                    [single] => usize::from(single.as_f64() > threshold),
                    _ => class_of(values),
                };
            }
        })
    }

    /// Checks the buffers' lengths and runs `write` over every chunk of at most a batch of
    /// samples, on the workers: it gets a chunk's outputs and the chunk's part of `out`.
    fn run<O: Send>(
        &mut self,
        inputs: &[M::Float],
        out: &mut [O],
        out_width: usize,
        write: impl Fn(&Preprocessing, &[M::Float], &mut [O]) + Sync,
    ) -> Result<usize, PredictError> {
        if let Some((key, problem)) = &self.misfit {
            return Err(PredictError::Preprocessing {
                key,
                problem: problem.clone(),
            });
        }
        let width = self.model.input_size();
        if !inputs.len().is_multiple_of(width) {
            return Err(PredictError::Inputs {
                values: inputs.len(),
                width,
            });
        }
        let samples = inputs.len() / width;
        if out.len() != samples * out_width {
            return Err(PredictError::Outputs {
                values: out.len(),
                samples,
                width: out_width,
            });
        }
        let chunk = Chunk {
            model: self.model,
            preprocessing: &self.preprocessing,
            shared: self.shared.as_ref().filter(|_| samples == 1),
            out_width,
            write,
        };
        parallel::run(&chunk, &mut self.workers, inputs, out).map_err(|at| {
            PredictError::NotFinite {
                sample: at / width,
                feature: at % width,
                value: match inputs[at].as_f64() {
                    x if x.is_nan() => "NaN",
                    x if x > 0.0 => "inf",
                    _ => "-inf",
                },
            }
        })?;
        Ok(samples)
    }
}

/// What predicting one chunk of samples takes besides a worker's buffers.
struct Chunk<'a, M: Model, W> {
    model: &'a M,
    preprocessing: &'a Preprocessing,
    /// The first layer's product shared out to threads, for a prediction of one sample.
    shared: Option<&'a SharedProduct<M::Float>>,
    /// Values written per sample.
    out_width: usize,
    /// Writes a chunk's outputs into its part of the result (given the preprocessing, which
    /// it may not capture: a clone would allocate).
    write: W,
}

impl<M: Model, W> Chunk<'_, M, W> {
    /// Predicts `inputs` (at most a batch of samples) with `worker` into `out`; or, if an
    /// input is not finite, predicts nothing and returns the index of the first.
    fn predict<O>(
        &self,
        worker: &mut Worker<M>,
        inputs: &[M::Float],
        out: &mut [O],
    ) -> Result<(), usize>
    where
        W: Fn(&Preprocessing, &[M::Float], &mut [O]),
    {
        // Each chunk checks its own inputs on its own thread, while they are in its cache.
        if !all_finite(inputs) {
            return Err(first_not_finite(inputs).unwrap_or_default());
        }
        let model = self.model;
        let count = inputs.len() / model.input_size();
        let inputs = match &self.preprocessing.inputs {
            Some(scaler) => {
                let standardised = &mut worker.inputs[..inputs.len()];
                standardised.copy_from_slice(inputs);
                scaler.apply(standardised);
                &*standardised
            }
            None => inputs,
        };
        let outputs = &mut worker.outputs[..count * model.output_size()];
        match self.shared {
            Some(shared) => model.forward_shared(&mut worker.workspace, inputs, outputs, shared),
            None => model.forward_slice(&mut worker.workspace, inputs, count, outputs),
        }
        (self.write)(self.preprocessing, outputs, out);
        Ok(())
    }
}

/// Whether every value is finite: `x * 0` is 0 for a finite `x` and NaN for any other, and
/// the sums run in eight lanes that the compiler keeps in vector registers. A search for the
/// first value that is not finite, a branch per value, cost a 784-input network's
/// predictions 15-20% of their rate.
fn all_finite<T: Float>(values: &[T]) -> bool {
    const LANES: usize = 8;
    let mut lanes = [T::zero(); LANES];
    let mut chunks = values.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += x * T::zero();
        }
    }
    let rest = chunks
        .remainder()
        .iter()
        .fold(T::zero(), |sum, &x| sum + x * T::zero());
    lanes.iter().fold(rest, |sum, &lane| sum + lane) == T::zero()
}

impl<M: Model> Worker<M> {
    fn new(model: &M) -> Self {
        let batch = model.batch_size();
        Worker {
            workspace: model.workspace(),
            inputs: vec![<M::Float as Default>::default(); batch * model.input_size()],
            outputs: vec![<M::Float as Default>::default(); batch * model.output_size()],
        }
    }
}

#[cfg(test)]
mod tests;
