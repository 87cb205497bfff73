//! A pool of worker threads that run borrowed work: the data-parallel training step's two
//! phases (the shards' passes, then the optimizer's update by parts of the parameters), or a
//! step split by units, which every thread runs at once ([`Pool::broadcast`]) with a
//! [`Barrier`] between its phases, or an on-line session's walk over a weight by parts (a
//! trainer's steps split by units and its sessions share one pool).
//!
//! The threads live as long as the pool, and handing them work allocates nothing, so a
//! training step on threads allocates nothing either. Between jobs a worker spins for a
//! moment (the next step's job usually comes within microseconds) and then sleeps. Which
//! thread takes which item of a job changes nothing in the results: items are independent.
//!
//! Rayon's pool would serve, but its queue for work from outside the pool grows by allocated
//! blocks as jobs arrive, and a step must not allocate.
//!
//! This module and `kernels/dispatch/` are the only ones with `unsafe`: one lifetime erasure,
//! sound for the reason `std::thread::scope` is (see [`Pool::for_each`]).
#![allow(unsafe_code)]

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a thread waiting for work or for the workers spins before it sleeps.
const SPIN: Duration = Duration::from_micros(200);

/// Work that every thread of the pool runs at once, each knowing its index (the caller's is
/// 0).
trait Job: Sync {
    fn run(&self, thread: usize);
}

/// A job over the items of an iterator, each handed to `f` by whichever thread takes it.
struct Items<I, F> {
    items: Mutex<I>,
    f: F,
}

/// A job that runs `f` once on each thread, with the thread's index.
struct EachThread<F>(F);

impl<F: Fn(usize) + Sync> Job for EachThread<F> {
    fn run(&self, thread: usize) {
        (self.0)(thread);
    }
}

impl<I, F> Job for Items<I, F>
where
    I: Iterator + Send,
    F: Fn(I::Item) + Sync,
{
    fn run(&self, _thread: usize) {
        while let Some(item) = take(&self.items) {
            (self.f)(item);
        }
    }
}

/// The next item of an iterator that several threads take from, each item once. A thread
/// that panicked while holding the lock took nothing half-way (the lock is held only for
/// `next`), so a poisoned lock is used as it is; the panic reaches the caller by its own way.
pub(crate) fn take<I: Iterator>(items: &Mutex<I>) -> Option<I::Item> {
    items.lock().unwrap_or_else(PoisonError::into_inner).next()
}

/// What the calling thread and the workers share.
struct Shared {
    /// Held by the thread that hands out a job until the job is done, so that jobs from
    /// owners that share the pool (a trainer's steps split by units and its on-line sessions'
    /// walk) run one after another, never at once.
    caller: Mutex<()>,
    /// The current job, while one runs.
    job: Mutex<Option<&'static dyn Job>>,
    /// Counts the jobs handed out: a worker runs a job when it sees a new one.
    generation: AtomicU64,
    /// Workers that have not finished the current job.
    running: AtomicUsize,
    /// Threads asleep (workers waiting for a job, or the caller waiting for the workers).
    sleepers: AtomicUsize,
    /// Guards sleeping, so that a wake-up between a check and a wait is not lost.
    lock: Mutex<()>,
    /// Wakes sleeping workers (a new job, or the pool's end) and a sleeping caller.
    wake: Condvar,
    /// Set when the pool is dropped.
    stop: AtomicBool,
    /// Set when a worker's part of a job panicked.
    panicked: AtomicBool,
}

impl Shared {
    /// Spins and then sleeps until `done` holds.
    fn wait_until(&self, done: impl Fn() -> bool) {
        let start = Instant::now();
        let mut spins = 0u32;
        while !done() {
            spins = spins.wrapping_add(1);
            if !spins.is_multiple_of(64) || start.elapsed() < SPIN {
                std::hint::spin_loop();
                continue;
            }
            let guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            if !done() {
                drop(
                    self.wake
                        .wait(guard)
                        .unwrap_or_else(PoisonError::into_inner),
                );
            }
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Wakes every sleeping thread, if any sleeps (a system call otherwise saved).
    fn wake_sleepers(&self) {
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
            self.wake.notify_all();
        }
    }
}

/// Worker threads that run jobs with the calling thread; see the module docs.
pub(crate) struct Pool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

impl Pool {
    /// A pool that runs jobs on `threads` threads: the caller's and `threads - 1` workers.
    pub(crate) fn new(threads: usize) -> Self {
        let shared = Arc::new(Shared {
            caller: Mutex::new(()),
            job: Mutex::new(None),
            generation: AtomicU64::new(0),
            running: AtomicUsize::new(0),
            sleepers: AtomicUsize::new(0),
            lock: Mutex::new(()),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            panicked: AtomicBool::new(false),
        });
        let workers = (1..threads.max(1))
            .map(|index| {
                let shared = Arc::clone(&shared);
                std::thread::Builder::new()
                    .name(format!("mlp-worker-{index}"))
                    .spawn(move || work(&shared, index))
                    .expect("the operating system refused to start a training thread")
            })
            .collect();
        Pool { shared, workers }
    }

    /// The threads jobs run on, the caller's included.
    pub(crate) fn threads(&self) -> usize {
        self.workers.len() + 1
    }

    /// Hands each item of `items` to `f`, on the pool's threads and the calling thread at
    /// once, and returns when every item is done. Allocates nothing.
    ///
    /// # Panics
    ///
    /// If `f` panics, after every thread has stopped working on the job.
    pub(crate) fn for_each<I, F>(&self, items: I, f: F)
    where
        I: Iterator + Send,
        F: Fn(I::Item) + Sync,
    {
        self.run(&Items {
            items: Mutex::new(items),
            f,
        });
    }

    /// Runs `f` once on each of the pool's threads, the calling thread's included, with the
    /// thread's index (`0..threads()`, the caller's 0), and returns when every call is done:
    /// a thread keeps its index from job to job, so its share of the work (and of the cache)
    /// stays its own. Allocates nothing.
    ///
    /// # Panics
    ///
    /// If `f` panics, after every thread has stopped working on the job.
    pub(crate) fn broadcast<F: Fn(usize) + Sync>(&self, f: F) {
        self.run(&EachThread(f));
    }

    /// Runs `job` on every thread; see [`Pool::for_each`].
    fn run(&self, job: &dyn Job) {
        if self.workers.is_empty() {
            return job.run(0);
        }
        let shared = &*self.shared;
        // A lock poisoned by a job's panic is used as it is: that job's workers were done.
        let _caller = shared.caller.lock().unwrap_or_else(PoisonError::into_inner);
        let borrowed: &dyn Job = job;
        // SAFETY: the workers see the job only between the store below and the moment each
        // has decremented `running`, and this function does not return, or unwind, before
        // `running` is zero and the slot is emptied again: the caller's own part runs under
        // `catch_unwind`. So no worker uses the reference after the job (borrowed for this
        // call) is dropped, and the `'static` lifetime is never relied upon (as in
        // `std::thread::scope`).
        let erased: &'static dyn Job = unsafe { std::mem::transmute(borrowed) };
        *shared.job.lock().unwrap_or_else(PoisonError::into_inner) = Some(erased);
        shared.running.store(self.workers.len(), Ordering::SeqCst);
        shared.generation.fetch_add(1, Ordering::SeqCst);
        shared.wake_sleepers();
        let own = catch_unwind(AssertUnwindSafe(|| job.run(0)));
        shared.wait_until(|| shared.running.load(Ordering::SeqCst) == 0);
        *shared.job.lock().unwrap_or_else(PoisonError::into_inner) = None;
        if let Err(payload) = own {
            resume_unwind(payload);
        }
        if shared.panicked.swap(false, Ordering::SeqCst) {
            panic!("a training thread panicked (its message is printed above)");
        }
    }
}

/// A barrier for the threads of one [`Pool::broadcast`] job: [`Barrier::wait`] returns once
/// every thread has called it, and everything each thread wrote before its call is then
/// visible to all. It spins, then yields, rather than sleeping: a step's phases are
/// microseconds apart. A thread that panics between barriers poisons it
/// ([`Barrier::poison_on_panic`]), so that the others panic instead of waiting for ever.
pub(crate) struct Barrier {
    threads: usize,
    arrived: AtomicUsize,
    generation: AtomicUsize,
    poisoned: AtomicBool,
}

/// Spins of a waiting thread before it starts yielding its core.
const BARRIER_SPINS: u32 = 1 << 14;

impl Barrier {
    /// A barrier for `threads` threads.
    pub(crate) fn new(threads: usize) -> Self {
        Barrier {
            threads,
            arrived: AtomicUsize::new(0),
            generation: AtomicUsize::new(0),
            poisoned: AtomicBool::new(false),
        }
    }

    /// Waits for every thread.
    ///
    /// # Panics
    ///
    /// If another thread panicked in the job.
    pub(crate) fn wait(&self) {
        if self.threads <= 1 {
            return;
        }
        let generation = self.generation.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == self.threads {
            self.arrived.store(0, Ordering::Relaxed);
            self.generation.fetch_add(1, Ordering::AcqRel);
            return;
        }
        let mut spins = 0u32;
        while self.generation.load(Ordering::Acquire) == generation {
            assert!(
                !self.poisoned.load(Ordering::Relaxed),
                "another training thread panicked"
            );
            if spins < BARRIER_SPINS {
                spins += 1;
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }

    /// A guard that poisons the barrier if the thread panics while it lives.
    pub(crate) fn poison_on_panic(&self) -> impl Drop + '_ {
        struct Guard<'a>(&'a Barrier);
        impl Drop for Guard<'_> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    self.0.poisoned.store(true, Ordering::Relaxed);
                }
            }
        }
        Guard(self)
    }
}

/// A worker's life: wait for a job, run it, report, until the pool is dropped.
fn work(shared: &Shared, index: usize) {
    let mut seen = 0;
    loop {
        shared.wait_until(|| {
            shared.generation.load(Ordering::SeqCst) != seen || shared.stop.load(Ordering::SeqCst)
        });
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        seen = shared.generation.load(Ordering::SeqCst);
        let job = *shared.job.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(job) = job
            && catch_unwind(AssertUnwindSafe(|| job.run(index))).is_err()
        {
            shared.panicked.store(true, Ordering::SeqCst);
        }
        if shared.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            shared.wake_sleepers();
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        {
            let _guard = self
                .shared
                .lock
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            self.shared.wake.notify_all();
        }
        for worker in self.workers.drain(..) {
            // A worker catches the panics of its jobs, so it ends normally.
            let _ = worker.join();
        }
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("threads", &self.threads())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_runs_once_on_any_number_of_threads() {
        for threads in 1..=4 {
            let pool = Pool::new(threads);
            assert_eq!(pool.threads(), threads);
            for round in 0..200 {
                let mut values = vec![0u64; 37];
                pool.for_each(values.iter_mut().enumerate(), |(i, v)| {
                    *v += (i * round) as u64 + 1;
                });
                let expected: Vec<u64> = (0..37).map(|i| (i * round) as u64 + 1).collect();
                assert_eq!(values, expected, "{threads} threads, round {round}");
            }
        }
    }

    #[test]
    fn broadcast_runs_once_per_thread_and_barriers_order_the_phases() {
        for threads in 1..=3 {
            let pool = Pool::new(threads);
            let barrier = Barrier::new(threads);
            let slots: Vec<AtomicUsize> = (0..threads).map(|_| AtomicUsize::new(0)).collect();
            for round in 1..=100 {
                pool.broadcast(|thread| {
                    slots[thread].store(round * (thread + 1), Ordering::Relaxed);
                    barrier.wait();
                    // After the barrier, every thread sees every other's write of this round.
                    for (other, slot) in slots.iter().enumerate() {
                        assert_eq!(slot.load(Ordering::Relaxed), round * (other + 1));
                    }
                    barrier.wait();
                });
            }
        }
    }

    /// Owners that share a pool (a trainer's steps and its sessions) may hand it jobs from two
    /// threads at once: the jobs run one after another, each on every thread once.
    #[test]
    fn jobs_from_two_callers_at_once_run_one_after_another() {
        let pool = Pool::new(3);
        let runs: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];
        let running = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for caller in 0..2 {
                let (pool, runs, running) = (&pool, &runs, &running);
                scope.spawn(move || {
                    for _ in 0..300 {
                        let calls = AtomicUsize::new(0);
                        pool.broadcast(|_| {
                            running.fetch_add(1, Ordering::SeqCst);
                            assert!(running.load(Ordering::SeqCst) <= 3, "two jobs at once");
                            calls.fetch_add(1, Ordering::SeqCst);
                            running.fetch_sub(1, Ordering::SeqCst);
                        });
                        assert_eq!(calls.load(Ordering::SeqCst), 3);
                        runs[caller].fetch_add(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(runs.map(|r| r.into_inner()), [300, 300]);
    }

    #[test]
    fn a_panic_between_barriers_reaches_the_caller_instead_of_a_deadlock() {
        let pool = Pool::new(2);
        let barrier = Barrier::new(2);
        let result = catch_unwind(AssertUnwindSafe(|| {
            pool.broadcast(|thread| {
                let _guard = barrier.poison_on_panic();
                assert!(thread != 1, "thread 1 fails");
                barrier.wait();
            });
        }));
        assert!(result.is_err());
    }

    #[test]
    fn jobs_after_a_sleep_still_run() {
        let pool = Pool::new(3);
        std::thread::sleep(SPIN * 5);
        let mut values = [0u8; 8];
        pool.for_each(values.iter_mut(), |v| *v = 7);
        assert_eq!(values, [7; 8]);
    }

    #[test]
    fn a_panic_in_a_job_reaches_the_caller_and_the_pool_goes_on() {
        let pool = Pool::new(2);
        let result = catch_unwind(AssertUnwindSafe(|| {
            pool.for_each(0..64, |i| assert!(i != 40, "item 40"));
        }));
        assert!(result.is_err());
        let mut values = [0u8; 4];
        pool.for_each(values.iter_mut(), |v| *v = 1);
        assert_eq!(values, [1; 4]);
    }
}
