//! How long the machine's cores take to hand a cache line to each other at the moment: a
//! step split across threads exchanges data at every phase, so its speed-up follows this,
//! and a virtual machine's host may move its two vCPUs between cores that share a cache and
//! cores that do not (three to four times slower to reach) from one minute to the next.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Round trips timed in one measurement.
const ROUND_TRIPS: u64 = 2000;

/// Untimed round trips before them, while the helper thread wakes up.
const WARM_UP: u64 = 100;

/// How long a measurement first sleeps, so that a pool's worker that has just finished a
/// step stops spinning and leaves its core to the helper thread.
const SETTLE: Duration = Duration::from_micros(500);

/// Spins of a waiting thread before it yields its core (should the two threads share one).
const SPINS: u32 = 1 << 12;

/// The counter the two threads pass back and forth, on cache lines of its own.
#[repr(align(128))]
struct Ball(AtomicU64);

impl Ball {
    /// Waits until the counter reads `value`.
    fn wait_for(&self, value: u64) {
        let mut spins = 0u32;
        while self.0.load(Ordering::Acquire) != value {
            if spins < SPINS {
                spins += 1;
                spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

/// Runs `body` with a measurement of the time, in nanoseconds, a cache line takes to go from
/// the calling thread to a helper thread and back (the mean of [`ROUND_TRIPS`]). The helper
/// sleeps between measurements, so it takes nothing from the work `body` measures.
pub fn with_round_trip<R>(body: impl FnOnce(&mut dyn FnMut() -> f64) -> R) -> R {
    let ball = Ball(AtomicU64::new(0));
    std::thread::scope(|scope| {
        let (start, started) = mpsc::channel::<u64>();
        let ball = &ball;
        scope.spawn(move || {
            // The calling thread sends the counter's value before each measurement, and ends
            // this thread by dropping `start`.
            while let Ok(base) = started.recv() {
                for k in 0..WARM_UP + ROUND_TRIPS {
                    ball.wait_for(base + 2 * k + 1);
                    ball.0.store(base + 2 * k + 2, Ordering::Release);
                }
            }
        });
        let mut base = 0;
        let mut round_trip = move || {
            std::thread::sleep(SETTLE);
            start.send(base).expect("the helper thread waits");
            let mut timed = None;
            for k in 0..WARM_UP + ROUND_TRIPS {
                if k == WARM_UP {
                    timed = Some(Instant::now());
                }
                ball.0.store(base + 2 * k + 1, Ordering::Release);
                ball.wait_for(base + 2 * k + 2);
            }
            base += 2 * (WARM_UP + ROUND_TRIPS);
            let seconds = timed.map_or(0.0, |t| t.elapsed().as_secs_f64());
            seconds * 1e9 / ROUND_TRIPS as f64
        };
        body(&mut round_trip)
    })
}
