//! Cutting a prediction into chunks of the batch size and spreading them over threads.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Chunk, Worker};
use crate::data::Preprocessing;
use crate::model::Model;
use crate::pool::take;

/// Predicts every sample of `inputs` into `out` (`chunk.out_width` values per sample), in
/// chunks of the model's batch size: the first worker on the calling thread, the others on
/// scoped threads, each taking the next chunk when it has finished one. A worker on a core
/// that another program slows down takes fewer chunks instead of holding the others up, and
/// the chunks, and therefore the results, are the same for any number of workers.
///
/// A chunk with an input that is not finite is not predicted: the result is then the index
/// in `inputs` of the first such value. Chunks are taken in order, so once one is found no
/// worker takes another, and every chunk before it has been taken and checked: the first
/// found is the first of all, whatever the number of workers.
pub(super) fn run<M, O, W>(
    chunk: &Chunk<'_, M, W>,
    workers: &mut [Worker<M>],
    inputs: &[M::Float],
    out: &mut [O],
) -> Result<(), usize>
where
    M: Model,
    O: Send,
    W: Fn(&Preprocessing, &[M::Float], &mut [O]) + Sync,
{
    let model = chunk.model;
    let (width, batch) = (model.input_size(), model.batch_size());
    let chunks = (inputs.len() / width).div_ceil(batch);
    let values = batch * width;
    let pieces = inputs
        .chunks(values)
        .zip(out.chunks_mut(batch * chunk.out_width))
        .enumerate()
        .map(move |(index, (inputs, out))| (index * values, inputs, out));
    let Some((first_worker, others)) = workers.split_first_mut() else {
        return Ok(());
    };
    let helpers = chunks.saturating_sub(1).min(others.len());
    let others = &mut others[..helpers];
    if others.is_empty() {
        // No scope: creating one allocates, and one chunk or one worker needs no other thread.
        for (start, inputs, out) in pieces {
            chunk
                .predict(first_worker, inputs, out)
                .map_err(|at| start + at)?;
        }
        return Ok(());
    }
    let queue = Mutex::new(pieces);
    let first_bad = AtomicUsize::new(usize::MAX);
    std::thread::scope(|scope| {
        for worker in others {
            let (queue, first_bad) = (&queue, &first_bad);
            scope.spawn(move || take_chunks(chunk, worker, queue, first_bad));
        }
        take_chunks(chunk, first_worker, &queue, &first_bad);
    });
    match first_bad.into_inner() {
        usize::MAX => Ok(()),
        at => Err(at),
    }
}

/// Predicts chunks taken from `queue` one at a time until it is empty, or until a chunk has
/// an input that is not finite (`first_bad`, the least such index found).
fn take_chunks<'q, M, O, W>(
    chunk: &Chunk<'_, M, W>,
    worker: &mut Worker<M>,
    queue: &Mutex<impl Iterator<Item = (usize, &'q [M::Float], &'q mut [O])>>,
    first_bad: &AtomicUsize,
) where
    M: Model,
    O: 'q,
    W: Fn(&Preprocessing, &[M::Float], &mut [O]),
{
    // A worker's panic reaches the caller when the scope ends. The scope's end publishes
    // `first_bad`; the loads here only stop the taking early.
    while first_bad.load(Ordering::Relaxed) == usize::MAX {
        let Some((start, inputs, out)) = take(queue) else {
            return;
        };
        if let Err(at) = chunk.predict(worker, inputs, out) {
            first_bad.fetch_min(start + at, Ordering::Relaxed);
        }
    }
}
