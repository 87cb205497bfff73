//! Cutting a prediction into chunks of the batch size and spreading them over threads.

use std::sync::Mutex;

use super::{Chunk, Worker};
use crate::data::Preprocessing;
use crate::model::Model;
use crate::pool::take;

/// Predicts every sample of `inputs` into `out` (`chunk.out_width` values per sample), in
/// chunks of the model's batch size: the first worker on the calling thread, the others on
/// scoped threads, each taking the next chunk when it has finished one. A worker on a core
/// that another program slows down takes fewer chunks instead of holding the others up, and
/// the chunks, and therefore the results, are the same for any number of workers.
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
    let chunks = (inputs.len() / width).div_ceil(batch);
    let pieces = inputs
        .chunks(batch * width)
        .zip(out.chunks_mut(batch * chunk.out_width));
    let Some((first_worker, others)) = workers.split_first_mut() else {
        return;
    };
    let helpers = chunks.saturating_sub(1).min(others.len());
    let others = &mut others[..helpers];
    if others.is_empty() {
        // No scope: creating one allocates, and one chunk or one worker needs no other thread.
        for (inputs, out) in pieces {
            chunk.predict(first_worker, inputs, out);
        }
        return;
    }
    let queue = Mutex::new(pieces);
    std::thread::scope(|scope| {
        for worker in others {
            let queue = &queue;
            scope.spawn(move || take_chunks(chunk, worker, queue));
        }
        take_chunks(chunk, first_worker, &queue);
    });
}

/// Predicts chunks taken from `queue` one at a time until it is empty.
fn take_chunks<'q, M, O, W>(
    chunk: &Chunk<'_, M, W>,
    worker: &mut Worker<M>,
    queue: &Mutex<impl Iterator<Item = (&'q [M::Float], &'q mut [O])>>,
) where
    M: Model,
    O: 'q,
    W: Fn(&Preprocessing, &[M::Float], &mut [O]),
{
    // A worker's panic reaches the caller when the scope ends.
    while let Some((inputs, out)) = take(queue) {
        chunk.predict(worker, inputs, out);
    }
}
