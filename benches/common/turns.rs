//! Measurements in turns: several runs take short turns in rounds, so that all see the same
//! state of a machine whose speed drifts. Shared by `benches/ratios.rs` and the A/B runner of
//! `scripts/ab_bench.sh` (which copies this file), and free of the project's crates for that.

use std::time::Instant;

/// Seconds per call of each of `runs`, one turn of `turn_seconds` each per round for
/// `rounds` rounds: the median over rounds of each run's time relative to the first run's in
/// the same round, and of each run's time.
pub fn interleave(
    rounds: usize,
    turn_seconds: f64,
    runs: &mut [&mut dyn FnMut()],
) -> (Vec<f64>, Vec<f64>) {
    medians(&in_rounds(rounds, turn_seconds, runs, &mut || {}))
}

/// Seconds per call of each of `runs` (the outer index) in each of `rounds` rounds (the
/// inner), one turn of `turn_seconds` each per round, with `after_round` called after each
/// round (to measure the state of the machine in it, say).
pub fn in_rounds(
    rounds: usize,
    turn_seconds: f64,
    runs: &mut [&mut dyn FnMut()],
    after_round: &mut dyn FnMut(),
) -> Vec<Vec<f64>> {
    let mut calls = Vec::new();
    for run in runs.iter_mut() {
        let start = Instant::now();
        // At least one call, however long a call takes.
        let mut count = 0;
        loop {
            run();
            count += 1;
            if start.elapsed().as_secs_f64() >= turn_seconds {
                break;
            }
        }
        calls.push(count);
    }
    let mut times = vec![Vec::new(); runs.len()];
    // Each round starts with a pseudo-randomly chosen run, so that no periodic disturbance
    // (another tenant's timer, say) can stay in phase with one engine's turns, as it could
    // with turns of always the same order and length. Suspected in one full run that
    // measured 784-128-10's inference at 0.8x, where a dozen other runs gave 1.7-2.0x.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..rounds {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let first = (state % runs.len() as u64) as usize;
        for k in 0..runs.len() {
            let index = (first + k) % runs.len();
            let start = Instant::now();
            for _ in 0..calls[index] {
                (runs[index])();
            }
            times[index].push(start.elapsed().as_secs_f64() / calls[index] as f64);
        }
        after_round();
    }
    times
}

/// The median of `values` (the upper one of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Of runs' times in rounds ([`in_rounds`]): the median over rounds of each run's time
/// relative to the first run's in the same round, and of each run's time.
pub fn medians(times: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>) {
    let relative = times
        .iter()
        .map(|t| median(t.iter().zip(&times[0]).map(|(t, t0)| t / t0).collect()))
        .collect();
    let typical = times.iter().cloned().map(median).collect();
    (relative, typical)
}
