//! Learning-rate schedules: the learning rate as a function of `t`, the number of completed
//! epochs (or optimizer steps, with `every: step`).

use mlp_spec::{Schedule, ScheduleKind};

/// The learning rate at `t` for a base rate `lr`.
///
/// With a warm-up of `w` (`warmup: {epochs: w}` or `{steps: w}`, the schedule's unit), the rate is also multiplied by `(t + 1) / w` while `t < w`,
/// rising linearly to the scheduled value; the decay itself counts `t` from 0 regardless.
#[inline]
pub fn learning_rate(schedule: &Schedule, lr: f64, t: u64) -> f64 {
    let tf = t as f64;
    let scheduled = match schedule.kind {
        ScheduleKind::Constant => lr,
        ScheduleKind::Step { step_size, gamma } => {
            lr * gamma.powf((t / step_size.max(1) as u64) as f64)
        }
        ScheduleKind::Exponential { gamma } => lr * gamma.powf(tf),
        ScheduleKind::InverseTime { decay } => lr / (1.0 + decay * tf),
        ScheduleKind::InverseSqrt => lr / (1.0 + tf).sqrt(),
        ScheduleKind::Polynomial {
            power,
            end_lr,
            horizon,
        } => {
            let progress = tf.min(horizon as f64) / horizon as f64;
            (lr - end_lr) * (1.0 - progress).powf(power) + end_lr
        }
        ScheduleKind::Cosine { horizon, min_lr } => {
            let progress = tf.min(horizon as f64) / horizon as f64;
            min_lr + (lr - min_lr) * (1.0 + (std::f64::consts::PI * progress).cos()) / 2.0
        }
    };
    match schedule.warmup {
        Some(warmup) if t < warmup.length as u64 => scheduled * (tf + 1.0) / warmup.length as f64,
        _ => scheduled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mlp_spec::{ScheduleUnit, Warmup};

    fn at(kind: ScheduleKind, t: u64) -> f64 {
        let schedule = Schedule {
            kind,
            every: ScheduleUnit::Epoch,
            warmup: None,
        };
        learning_rate(&schedule, 0.1, t)
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-15, "{a} vs {b}");
    }

    #[test]
    fn each_schedule_at_several_t() {
        for t in [0, 1, 5, 10] {
            close(at(ScheduleKind::Constant, t), 0.1);
        }
        let step = ScheduleKind::Step {
            step_size: 3,
            gamma: 0.5,
        };
        for (t, want) in [(0, 0.1), (2, 0.1), (3, 0.05), (6, 0.025), (8, 0.025)] {
            close(at(step, t), want);
        }
        let exponential = ScheduleKind::Exponential { gamma: 0.9 };
        for (t, want) in [(0, 0.1), (1, 0.09), (2, 0.081), (3, 0.0729)] {
            close(at(exponential, t), want);
        }
        let inverse_time = ScheduleKind::InverseTime { decay: 0.5 };
        for (t, want) in [(0, 0.1), (1, 0.1 / 1.5), (2, 0.05), (8, 0.02)] {
            close(at(inverse_time, t), want);
        }
        for (t, want) in [(0, 0.1), (3, 0.05), (8, 0.1 / 3.0), (99, 0.01)] {
            close(at(ScheduleKind::InverseSqrt, t), want);
        }
        let polynomial = ScheduleKind::Polynomial {
            power: 2.0,
            end_lr: 0.01,
            horizon: 10,
        };
        for (t, want) in [(0, 0.1), (5, 0.09 * 0.25 + 0.01), (10, 0.01), (20, 0.01)] {
            close(at(polynomial, t), want);
        }
        let cosine = ScheduleKind::Cosine {
            horizon: 4,
            min_lr: 0.02,
        };
        for (t, want) in [(0, 0.1), (2, 0.06), (4, 0.02), (9, 0.02)] {
            close(at(cosine, t), want);
        }
    }

    #[test]
    fn warmup_rises_linearly_then_follows_the_schedule() {
        let schedule = Schedule {
            kind: ScheduleKind::InverseSqrt,
            every: ScheduleUnit::Step,
            warmup: Some(Warmup { length: 4 }),
        };
        let rates: Vec<f64> = (0..5).map(|t| learning_rate(&schedule, 0.1, t)).collect();
        close(rates[0], 0.1 * 0.25);
        close(rates[1], 0.1 / 2f64.sqrt() * 0.5);
        close(rates[3], 0.1 / 2.0);
        close(rates[4], 0.1 / 5f64.sqrt());
    }
}
