//! Trials on threads: every (trial, fold) pair is a job, taken in turn by scoped workers.
//! A job's result depends only on its inputs, so the results are the same for any number
//! of threads.

use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::ProgressBar;

use crate::train::progress::terminal_bar;

/// Runs `job(0..count)` on `threads` workers (at least one) and returns the results in job
/// order. `finished(index)` is called as each job ends.
pub(crate) fn run<R: Send>(
    count: usize,
    threads: usize,
    job: impl Fn(usize) -> R + Sync,
    finished: impl Fn(usize) + Sync,
) -> Vec<R> {
    let workers = threads.clamp(1, count.max(1));
    if workers == 1 {
        return (0..count)
            .map(|index| {
                let result = job(index);
                finished(index);
                result
            })
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        if index >= count {
                            return mine;
                        }
                        mine.push((index, job(index)));
                        finished(index);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            // A panicking job is a bug of the library, not of the input: pass it on.
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// The trial counter on standard error, when it is a terminal.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub(crate) fn new(enabled: bool) -> Self {
        Progress {
            bar: terminal_bar("trial", 0, enabled),
        }
    }

    /// More trials to run (a coordinate search learns its next batch as it goes).
    pub(crate) fn add(&self, trials: usize) {
        if let Some(bar) = &self.bar {
            bar.inc_length(trials as u64);
        }
    }

    /// One trial done.
    pub(crate) fn trial_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    pub(crate) fn message(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
