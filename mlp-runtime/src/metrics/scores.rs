//! Scores computed from outputs and targets alone: mean absolute error, log-loss and the
//! area under the ROC curve.

use crate::float::Float;

/// Panics, naming `metric`, unless there are as many outputs as targets, in whole rows of
/// `width`: zipping them would score the shorter silently.
#[track_caller]
pub(super) fn assert_paired(metric: &str, outputs: usize, targets: usize, width: usize) {
    assert!(
        outputs == targets && width > 0 && targets.is_multiple_of(width),
        "{metric}: {outputs} outputs and {targets} targets; give as many of each, in rows of \
         {width} (the outputs per sample)"
    );
}

/// The mean absolute error over all outputs.
///
/// # Panics
///
/// If `outputs` and `targets` are not as many values.
#[track_caller]
pub fn mae<T: Float>(outputs: &[T], targets: &[T]) -> f64 {
    assert_paired("mae", outputs.len(), targets.len(), 1);
    let sum: f64 = outputs
        .iter()
        .zip(targets)
        .map(|(p, y)| (p.as_f64() - y.as_f64()).abs())
        .sum();
    sum / targets.len().max(1) as f64
}

/// The mean cross-entropy of predicted probabilities, without any penalty: `outputs` are
/// probabilities of `width` classes per sample (softmax), or of class 1 (`width` 1, a
/// sigmoid), and `targets` one-hot rows, probability rows, or 0/1. Probabilities are clipped
/// to `[eps, 1 - eps]`, `eps` the machine epsilon of their type, so that a confident mistake
/// costs a large but finite log-loss, as scikit-learn's `log_loss` does (since 1.5).
///
/// ```
/// // p(class 1) = 0.8 for a sample of class 1 and 0.4 for one of class 0.
/// let loss = mlp_runtime::metrics::log_loss(&[0.8f64, 0.4], &[1.0, 0.0], 1);
/// assert!((loss - -(0.8f64.ln() + 0.6f64.ln()) / 2.0).abs() < 1e-15);
/// ```
///
/// # Panics
///
/// If `outputs` and `targets` are not rows of `width` values, as many of each.
#[track_caller]
pub fn log_loss<T: Float>(outputs: &[T], targets: &[T], width: usize) -> f64 {
    assert_paired("log_loss", outputs.len(), targets.len(), width);
    let p = |value: T| value.as_f64().clamp(T::EPSILON, 1.0 - T::EPSILON);
    let total: f64 = if width == 1 {
        outputs
            .iter()
            .zip(targets)
            .map(|(&o, &t)| {
                let (p, t) = (p(o), t.as_f64());
                -(t * p.ln() + (1.0 - t) * (1.0 - p).ln())
            })
            .sum()
    } else {
        outputs
            .iter()
            .zip(targets)
            .map(|(&o, &t)| -t.as_f64() * p(o).ln())
            .sum()
    };
    total / (targets.len() / width).max(1) as f64
}

/// The area under the ROC curve of a binary classifier: the probability that a random
/// sample of class 1 scores higher than a random one of class 0, ties counting half
/// (the Mann-Whitney statistic, as scikit-learn's `roc_auc_score`). `None` when one of the
/// classes has no sample; NaN when a score is NaN (a diverged network's), as the other
/// scores are.
///
/// ```
/// let auc = mlp_runtime::metrics::roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]);
/// assert_eq!(auc, Some(0.75));
/// ```
///
/// # Panics
///
/// If `scores` and `positive` are not as many.
#[track_caller]
pub fn roc_auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    assert_paired("roc_auc", scores.len(), positive.len(), 1);
    let n_pos = positive.iter().filter(|&&p| p).count() as f64;
    let n_neg = positive.len() as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return None;
    }
    // A NaN equals no score, not even its own, so it would end no run of ties below.
    if scores.iter().any(|s| s.is_nan()) {
        return Some(f64::NAN);
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Ranks from 1, tied scores sharing the mean of their ranks.
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let score = scores[order[start]];
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| scores[i] == score)
                .count();
        let mean_rank = (start + 1 + end) as f64 / 2.0;
        let positives = order[start..end].iter().filter(|&&i| positive[i]).count();
        rank_sum += mean_rank * positives as f64;
        start = end;
    }
    Some((rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_loss_of_softmax_rows_and_clipping() {
        let outputs = [0.7f64, 0.2, 0.1, 0.1, 0.1, 0.8];
        let targets = [1.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        let expected = -(0.7f64.ln() + 0.8f64.ln()) / 2.0;
        assert!((log_loss(&outputs, &targets, 3) - expected).abs() < 1e-15);
        // A certain mistake is finite, -ln(eps) for the outputs' type. scikit-learn 1.9.1:
        // log_loss([1], [[1.0, 0.0]], labels=[0, 1]) is 36.04365338911715 in float64, and
        // log_loss([1, 0], np.array([0.0, 0.5], dtype=np.float32)) is 8.317766189575195.
        let certain = log_loss(&[0.0f64], &[1.0], 1);
        assert!((certain - 36.043_653_389_117_15).abs() < 1e-9, "{certain}");
        let single = log_loss(&[0.0f32, 0.5], &[1.0, 0.0], 1);
        assert!((single - 8.317_766_189_575_195).abs() < 1e-6, "{single}");
    }

    #[test]
    fn roc_auc_counts_pairs_and_ties() {
        assert_eq!(
            roc_auc(&[0.1, 0.2, 0.3, 0.4], &[false, false, true, true]),
            Some(1.0)
        );
        assert_eq!(
            roc_auc(&[0.4, 0.3, 0.2, 0.1], &[false, false, true, true]),
            Some(0.0)
        );
        // One tie between a positive and a negative: half a pair of four.
        assert_eq!(
            roc_auc(&[0.1, 0.5, 0.5, 0.9], &[false, false, true, true]),
            Some(0.875)
        );
        assert_eq!(roc_auc(&[0.3, 0.6], &[true, true]), None);
        assert!(roc_auc(&[0.3, f64::NAN], &[false, true]).unwrap().is_nan());
        assert_eq!(mae(&[1.0f64, 3.0], &[2.0, 2.0]), 1.0);
    }

    #[test]
    #[should_panic(expected = "mae: 3 outputs and 1 targets; give as many of each")]
    fn outputs_and_targets_of_other_lengths_are_refused() {
        mae(&[1.0f64, 2.0, 3.0], &[1.0]);
    }
}
