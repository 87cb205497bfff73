//! Old and new builds of the engines in alternating turns (see scripts/ab_bench.sh): for each
//! network and measurement, new samples/s over old, above 1 when the new build is faster.
//! `runner --profile new iris train1 static 5` runs one measurement alone for 5 s instead.
use std::time::Instant;

/// `benches/common/turns.rs`, copied here by scripts/ab_bench.sh.
mod turns;

const ROUNDS: usize = 31;
/// Fresh instances per comparison: where the buffers land moves a run by up to 20%.
const REPEATS: usize = 8;
const TURN: f64 = 0.01;

/// Runs `f` `depth` frames of 64 bytes deeper in the stack: each repeat measures with the
/// stack and the heap at other addresses, so that no engine keeps a lucky or unlucky placement.
#[inline(never)]
fn deeper<R>(depth: usize, f: &mut dyn FnMut() -> R) -> R {
    let pad = std::hint::black_box([depth as u8; 64]);
    if depth == 0 {
        return f();
    }
    let r = deeper(depth - 1, f);
    std::hint::black_box(&pad);
    r
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--profile") {
        let (version, name, measure, engine) = (&args[2], &args[3], &args[4], &args[5]);
        let seconds: f64 = args[6].parse().unwrap();
        let dynamic = engine == "dynamic";
        let mut run = match (version.as_str(), measure.as_str()) {
            ("old", "train1") => old_nets::train(name, dynamic, 1),
            ("old", "train32") => old_nets::train(name, dynamic, 32),
            ("old", _) => old_nets::infer(name, dynamic),
            (_, "train1") => new_nets::train(name, dynamic, 1),
            (_, "train32") => new_nets::train(name, dynamic, 32),
            _ => new_nets::infer(name, dynamic),
        };
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed().as_secs_f64() < seconds {
            for _ in 0..1000 {
                run();
            }
            n += 1000;
        }
        println!("{:.0}/s", n as f64 / seconds);
        return;
    }
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let engines: &[bool] = if std::env::args().any(|a| a == "--static-only") { &[false] } else { &[false, true] };
    let aa = std::env::args().any(|a| a == "--aa");
    println!("{:<14} {:<12} {:<8} {:>12} {:>12} {:>8}", "network", "measure", "engine", "old /s", "new /s", "new/old");
    for name in old_nets::NAMES {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        for measure in ["train1", "train32", "infer1"] {
            for &dynamic in engines {
                let samples = if measure == "train32" { 32.0 } else { 1.0 };
                let mut ratios = Vec::new();
                let mut rates = (Vec::new(), Vec::new());
                for repeat in 0..REPEATS {
                    // Shift the heap and the stack by a pseudo-random amount per repeat.
                    let shift = (repeat * 2654435761usize) % 64;
                    let _pad: Vec<u8> = vec![1; 64 * 1024 * shift + 64 * shift];
                    // Which engine's buffers are allocated first alternates: the first and the
                    // second instance of the same code measured up to 20% apart.
                    let make = |second: bool| match (measure, aa && second) {
                        ("train1", false) if second => new_nets::train(name, dynamic, 1),
                        ("train32", false) if second => new_nets::train(name, dynamic, 32),
                        ("infer1", false) if second => new_nets::infer(name, dynamic),
                        ("train1", _) => old_nets::train(name, dynamic, 1),
                        ("train32", _) => old_nets::train(name, dynamic, 32),
                        _ => old_nets::infer(name, dynamic),
                    };
                    let (mut old, mut new) = if repeat % 2 == 0 {
                        let old = make(false);
                        (old, make(true))
                    } else {
                        let new = make(true);
                        (make(false), new)
                    };
                    let (relative, typical) =
                        deeper(shift, &mut || turns::interleave(ROUNDS, TURN, &mut [&mut *old, &mut *new]));
                    ratios.push(1.0 / relative[1]);
                    rates.0.push(samples / typical[0]);
                    rates.1.push(samples / typical[1]);
                }
                let median = |mut v: Vec<f64>| {
                    v.sort_by(f64::total_cmp);
                    v[v.len() / 2]
                };
                let (low, high) = ratios.iter().fold((f64::MAX, 0.0f64), |(l, h), &r| (l.min(r), h.max(r)));
                println!(
                    "{:<14} {:<12} {:<8} {:>12.0} {:>12.0} {:>7.3}x  ({:.3}-{:.3})",
                    name,
                    measure,
                    if dynamic { "dynamic" } else { "static" },
                    median(rates.0),
                    median(rates.1),
                    (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp(),
                    low,
                    high
                );
            }
        }
    }
}
