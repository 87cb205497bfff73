//! Cutting a prediction into chunks of the batch size and spreading them over threads.

use super::{Chunk, Worker};
use crate::data::Preprocessing;
use crate::model::Model;

/// Predicts every sample of `inputs` into `out` (`chunk.out_width` values per sample): in
/// chunks of the model's batch size, the chunks cut into one contiguous run per worker, the
/// first run on the calling thread and the others on scoped threads. A run boundary is
/// always a chunk boundary, so the chunks, and therefore the results, are the same for any
/// number of workers.
pub(super) fn run<M, O, W>(
    chunk: &Chunk<'_, M, W>,
    workers: &mut [Worker<M>],
    inputs: &[M::Float],
    out: &mut [O],
) where
    M: Model,
    O: Send,
    W: Fn(&Preprocessing, &[M::Float], &mut [O]) + Sync,
{
    let model = chunk.model;
    let (width, batch) = (model.input_size(), model.batch_size());
    let samples = inputs.len() / width;
    if samples == 0 {
        return;
    }
    let chunks = samples.div_ceil(batch);
    let runs = workers.len().min(chunks).max(1);
    let chunks_per_run = chunks.div_ceil(runs);
    let run_samples = chunks_per_run * batch;
    let mut parts = inputs
        .chunks(run_samples * width)
        .zip(out.chunks_mut(run_samples * chunk.out_width))
        .zip(workers.iter_mut());
    let Some(((first_inputs, first_out), first_worker)) = parts.next() else {
        return;
    };
    if runs == 1 {
        // No scope: creating one allocates, and one run needs no other thread.
        predict_run(chunk, first_worker, first_inputs, first_out);
        return;
    }
    std::thread::scope(|scope| {
        for ((inputs, out), worker) in parts {
            scope.spawn(move || predict_run(chunk, worker, inputs, out));
        }
        predict_run(chunk, first_worker, first_inputs, first_out);
    });
}

/// Predicts a run of samples, one chunk of at most a batch after the other.
fn predict_run<M, O, W>(
    chunk: &Chunk<'_, M, W>,
    worker: &mut Worker<M>,
    inputs: &[M::Float],
    out: &mut [O],
) where
    M: Model,
    W: Fn(&Preprocessing, &[M::Float], &mut [O]),
{
    let batch = chunk.model.batch_size();
    let pieces = inputs
        .chunks(batch * chunk.model.input_size())
        .zip(out.chunks_mut(batch * chunk.out_width));
    for (inputs, out) in pieces {
        chunk.predict(worker, inputs, out);
    }
}
