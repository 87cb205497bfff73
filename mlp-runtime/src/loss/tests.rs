use nalgebra::{Const, Dyn};

use super::*;
use crate::activation::Identity;

#[test]
fn element_losses_match_pytorch_reductions() {
    // Two samples of two outputs: yhat - y = [1, -2 | 0.5, 3].
    let a = [2.0f64, -1.0, 0.5, 4.0];
    let y = [1.0f64, 1.0, 0.0, 1.0];
    let mse = Chain {
        activation: Identity,
        loss: Mse,
    };
    assert!((mse.loss(Dyn(2), &a, &a, &y, 2) - (1.0 + 4.0 + 0.25 + 9.0) / 4.0).abs() < 1e-15);
    let sos = Chain {
        activation: Identity,
        loss: SumOfSquares,
    };
    assert!((sos.loss(Dyn(2), &a, &a, &y, 2) - 0.5 * (1.0 + 4.0 + 0.25 + 9.0) / 2.0).abs() < 1e-15);
    let mae = Chain {
        activation: Identity,
        loss: Mae,
    };
    assert!((mae.loss(Dyn(2), &a, &a, &y, 2) - (1.0 + 2.0 + 0.5 + 3.0) / 4.0).abs() < 1e-15);
    let huber = Chain {
        activation: Identity,
        loss: Huber { delta: 1.0 },
    };
    let expected = (0.5 + (2.0 - 0.5) + 0.125 + (3.0 - 0.5)) / 4.0;
    assert!((huber.loss(Dyn(2), &a, &a, &y, 2) - expected).abs() < 1e-15);
    // Only the valid columns count.
    assert!((mse.loss(Dyn(2), &a, &a, &y, 1) - (1.0 + 4.0) / 2.0).abs() < 1e-15);
}

#[test]
fn fused_losses_stay_finite_on_extreme_logits() {
    let z = [1000.0f32, -1000.0, -1000.0, 1000.0];
    let y = [0.0f32, 1.0, 1.0, 0.0];
    let mut a = [0.0f32; 4];
    let mut delta = [0.0f32; 4];
    SoftmaxCrossEntropy.activate(Dyn(2), &z, &mut a);
    let loss = SoftmaxCrossEntropy.loss(Dyn(2), &z, &a, &y, 2);
    assert_eq!(loss, 2000.0);
    SoftmaxCrossEntropy.delta(Dyn(2), &z, &a, &y, 2, &mut delta);
    // (yhat - y) / N with yhat = [1, 0 | 0, 1].
    assert_eq!(delta, [0.5, -0.5, -0.5, 0.5]);
    SigmoidBce.activate(Dyn(2), &z, &mut a);
    let loss = SigmoidBce.loss(Dyn(2), &z, &a, &y, 2);
    assert_eq!(loss, 1000.0);
    SigmoidBce.delta(Dyn(2), &z, &a, &y, 2, &mut delta);
    assert_eq!(delta, [0.25, -0.25, -0.25, 0.25]);
    SoftmaxKlDiv.activate(Dyn(2), &z, &mut a);
    let kl = SoftmaxKlDiv.loss(Dyn(2), &z, &a, &y, 2);
    assert!(kl.is_finite());
}

/// Softmax in the order its documentation gives (max, exponentials, their sum in order,
/// quotients), whether the column's exponentials fit the stack or not, and whether the rows
/// are a constant or not: the same bits.
#[test]
fn softmax_computes_in_one_order_for_every_length() {
    fn reference(z: &[f32]) -> Vec<f32> {
        let max = z.iter().copied().fold(z[0], f32::max);
        let exps: Vec<f32> = z.iter().map(|&z| (z - max).activation_exp()).collect();
        let sum = exps.iter().fold(0.0, |sum, &e| sum + e);
        exps.iter().map(|e| e / sum).collect()
    }
    fn check<const ROWS: usize>() {
        let z: Vec<f32> = (0..2 * ROWS)
            .map(|k| ((k * 37) % 23) as f32 * 0.37 - 4.0)
            .collect();
        let expected: Vec<f32> = z.chunks(ROWS).flat_map(reference).collect();
        let (mut a, mut fixed) = (vec![0.0f32; 2 * ROWS], vec![0.0f32; 2 * ROWS]);
        SoftmaxCrossEntropy.activate(Dyn(ROWS), &z, &mut a);
        SoftmaxCrossEntropy.activate(Const::<ROWS>, &z, &mut fixed);
        assert_eq!(a, expected, "{ROWS} rows");
        assert_eq!(fixed, expected, "{ROWS} constant rows");
        let y: Vec<f32> = (0..2 * ROWS).map(|k| f32::from(k % ROWS == 1)).collect();
        let loss = SoftmaxCrossEntropy.loss(Dyn(ROWS), &z, &a, &y, 2);
        let fixed_loss = SoftmaxCrossEntropy.loss(Const::<ROWS>, &z, &a, &y, 2);
        assert_eq!(loss.to_bits(), fixed_loss.to_bits());
    }
    check::<3>();
    check::<10>();
    check::<40>();
}

#[test]
fn softmax_losses_equal_their_log_sum_exp_definitions() {
    // Three columns of logits, the largest first, last and tied.
    let z = [2.5f64, -1.0, 0.25, -3.0, 0.5, 4.0, 1.5, 1.5, -0.75];
    let y = [0.2f64, 0.3, 0.5, 0.0, 1.0, 0.0, 0.6, 0.0, 0.4];
    let mut a = [0.0; 9];
    SoftmaxCrossEntropy.activate(Dyn(3), &z, &mut a);
    let (mut ce, mut kl) = (0.0, 0.0);
    for (z, y) in z.chunks(3).zip(y.chunks(3)) {
        let lse = z.iter().map(|z| z.exp()).sum::<f64>().ln();
        for (&z, &y) in z.iter().zip(y) {
            ce -= y * (z - lse);
            if y > 0.0 {
                kl += y * (y.ln() - (z - lse));
            }
        }
    }
    let got = SoftmaxCrossEntropy.loss(Dyn(3), &z, &a, &y, 3);
    assert!((got - ce / 3.0).abs() < 1e-15, "{got} vs {}", ce / 3.0);
    let got = SoftmaxKlDiv.loss(Dyn(3), &z, &a, &y, 3);
    assert!((got - kl / 3.0).abs() < 1e-15, "{got} vs {}", kl / 3.0);
}

#[test]
fn padding_columns_get_zero_delta() {
    let z = [0.3f64, -0.2, 5.0, 5.0];
    let y = [1.0f64, 0.0, 7.0, 7.0];
    let mut a = [0.0; 4];
    let mut delta = [9.0; 4];
    SoftmaxCrossEntropy.activate(Dyn(2), &z, &mut a);
    SoftmaxCrossEntropy.delta(Dyn(2), &z, &a, &y, 1, &mut delta);
    assert_eq!(&delta[2..], &[0.0, 0.0]);
    assert!((delta[0] - (a[0] - 1.0)).abs() < 1e-15);
}

/// The logit heads' bound, [`MODERATE`], at its worst: every logit and target at `±2^32`, in
/// the signs that make each head's terms largest, over a column of many outputs. Their losses
/// are finite, in `f32`, as `assures_finite_loss` promises; one value past the bound, or not
/// finite, and the heads promise nothing.
#[test]
fn logit_heads_assure_a_finite_loss_only_within_their_bound() {
    let bound = MODERATE as f32;
    let rows = 1000;
    // The first logit largest, the others as far below it as the bound allows, each target
    // of the sign that makes its term positive; and the reverse.
    let columns: [(Vec<f32>, Vec<f32>); 2] = [
        (
            (0..rows)
                .map(|k| if k == 0 { bound } else { -bound })
                .collect(),
            vec![bound; rows],
        ),
        (
            (0..rows)
                .map(|k| if k == 0 { -bound } else { bound })
                .collect(),
            (0..rows)
                .map(|k| if k == 0 { bound } else { -bound })
                .collect(),
        ),
    ];
    for (z, y) in &columns {
        let mut a = vec![0.0f32; rows];
        SoftmaxCrossEntropy.activate(Dyn(rows), z, &mut a);
        for (name, loss, assured) in [
            (
                "cross-entropy",
                SoftmaxCrossEntropy.loss(Dyn(rows), z, &a, y, 1),
                SoftmaxCrossEntropy.assures_finite_loss(Dyn(rows), z, y, 1),
            ),
            (
                "kl",
                SoftmaxKlDiv.loss(Dyn(rows), z, &a, y, 1),
                SoftmaxKlDiv.assures_finite_loss(Dyn(rows), z, y, 1),
            ),
            (
                "bce",
                SigmoidBce.loss(Dyn(rows), z, &a, y, 1),
                SigmoidBce.assures_finite_loss(Dyn(rows), z, y, 1),
            ),
            (
                "fast bce",
                FastSigmoidBce.loss(Dyn(rows), z, &a, y, 1),
                FastSigmoidBce.assures_finite_loss(Dyn(rows), z, y, 1),
            ),
        ] {
            assert!(assured, "{name}");
            assert!(loss.is_finite() && loss > 1e18, "{name}: {loss}");
        }
    }
    let (z, y) = &columns[0];
    for outside in [bound.next_up(), -bound.next_up(), f32::INFINITY, f32::NAN] {
        for values in [0, 1] {
            let (mut z, mut y) = (z.clone(), y.clone());
            [&mut z, &mut y][values][rows - 1] = outside;
            assert!(!SoftmaxCrossEntropy.assures_finite_loss(Dyn(rows), &z, &y, 1));
            assert!(!SoftmaxKlDiv.assures_finite_loss(Dyn(rows), &z, &y, 1));
            assert!(!SigmoidBce.assures_finite_loss(Dyn(rows), &z, &y, 1));
            assert!(!FastSigmoidBce.assures_finite_loss(Dyn(rows), &z, &y, 1));
        }
    }
    // Only the valid columns count, and heads without a bound promise nothing.
    let mut z = z.repeat(2);
    z[rows] = f32::NAN;
    let y = y.repeat(2);
    assert!(SoftmaxCrossEntropy.assures_finite_loss(Dyn(rows), &z, &y, 1));
    assert!(!SoftmaxCrossEntropy.assures_finite_loss(Dyn(rows), &z, &y, 2));
    let mse = Chain {
        activation: Identity,
        loss: Mse,
    };
    assert!(!mse.assures_finite_loss(Dyn(rows), &[0.0f32; 1000], &[0.0f32; 1000], 1));
}
