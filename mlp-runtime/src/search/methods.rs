//! Which points of the search space a method tries: every combination, seeded draws, or
//! one hyper-parameter at a time.

use mlp_spec::{Axis, AxisValues, SearchMetric, Spec};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

use crate::data::split::below;

/// One value per searched hyper-parameter, in the order of the search's space.
pub(crate) type Point = Vec<f64>;

/// Every combination of the listed values, the first key varying slowest.
pub(crate) fn grid(lists: &[Vec<f64>]) -> Vec<Point> {
    lists.iter().fold(vec![Vec::new()], |points, values| {
        points
            .iter()
            .flat_map(|point| {
                values.iter().map(move |&value| {
                    let mut next = point.clone();
                    next.push(value);
                    next
                })
            })
            .collect()
    })
}

/// `trials` seeded draws: a listed value uniformly, or log-uniform over a range.
pub(crate) fn random(axes: &[Axis], trials: usize, seed: u64) -> Vec<Point> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..trials)
        .map(|_| {
            axes.iter()
                .map(|axis| match &axis.values {
                    AxisValues::List(values) => values[below(&mut rng, values.len())],
                    AxisValues::LogUniform { low, high } => {
                        // 53 random bits give a uniform float in [0, 1).
                        let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                        (low.ln() + unit * (high.ln() - low.ln())).exp()
                    }
                })
                .collect()
        })
        .collect()
}

/// The listed values of each axis (coordinate and grid searches take lists only, which the
/// spec's validation ensures).
pub(crate) fn lists(axes: &[Axis]) -> Vec<Vec<f64>> {
    axes.iter()
        .map(|axis| match &axis.values {
            AxisValues::List(values) => values.clone(),
            AxisValues::LogUniform { low, high } => vec![*low, *high],
        })
        .collect()
}

/// Where a coordinate search starts: for each key, the listed value nearest the spec's own
/// (the first listed when the spec leaves the key unset).
pub(crate) fn start(spec: &Spec, axes: &[Axis], lists: &[Vec<f64>]) -> Point {
    axes.iter()
        .zip(lists)
        .map(|(axis, values)| {
            let own = spec.value_of(&axis.key);
            let distance = |v: f64| own.map_or(0.0, |own| (v - own).abs());
            values
                .iter()
                .copied()
                .reduce(|best, v| {
                    if distance(v) < distance(best) {
                        v
                    } else {
                        best
                    }
                })
                .unwrap_or_default()
        })
        .collect()
}

/// A trial's mean as a score where higher is better: a loss negated.
pub(crate) fn comparable(metric: SearchMetric, mean: f64) -> f64 {
    if metric.higher_is_better() {
        mean
    } else {
        -mean
    }
}

/// Whether score `a` beats score `b` (higher is better; NaN, a failed trial, loses).
pub(crate) fn beats(a: f64, b: f64) -> bool {
    a > b || (b.is_nan() && !a.is_nan())
}

/// The coordinate search of the lecture notes: tunes each key in turn with the others fixed
/// at their best values so far, and repeats until a round changes nothing or `rounds` have
/// run. `score` gets each batch of points never scored before (those of one key), and
/// returns their scores in order, or `None` to end the search there. Returns the rounds
/// run.
pub(crate) fn coordinate(
    lists: &[Vec<f64>],
    start: Point,
    rounds: usize,
    score: &mut dyn FnMut(&[Point]) -> Option<Vec<f64>>,
) -> usize {
    let mut known: Vec<(Point, f64)> = Vec::new();
    let mut current = start;
    let mut run = 0;
    while run < rounds {
        run += 1;
        let mut changed = false;
        for (key, values) in lists.iter().enumerate() {
            let candidates: Vec<Point> = values
                .iter()
                .map(|&value| {
                    let mut point = current.clone();
                    point[key] = value;
                    point
                })
                .collect();
            let mut fresh: Vec<Point> = Vec::new();
            for point in &candidates {
                if !known.iter().any(|(p, _)| p == point) && !fresh.contains(point) {
                    fresh.push(point.clone());
                }
            }
            if !fresh.is_empty() {
                let Some(scores) = score(&fresh) else {
                    return run;
                };
                known.extend(fresh.into_iter().zip(scores));
            }
            let score_of = |point: &Point| {
                known
                    .iter()
                    .find(|(p, _)| p == point)
                    .map_or(f64::NAN, |(_, s)| *s)
            };
            // The current value stays unless another is strictly better.
            let mut best = (current.clone(), score_of(&current));
            for point in candidates {
                let score = score_of(&point);
                if beats(score, best.1) {
                    best = (point, score);
                }
            }
            if best.0 != current {
                changed = true;
                current = best.0;
            }
        }
        if !changed {
            break;
        }
    }
    run
}
