//! One test per validation rule, asserting the exact message and position.

use crate::ir::*;
use crate::parse;
use crate::{Activation, Optimizer};

const HEAD: &str = "input: 2\nlayers:\n";

/// Parses a spec that must fail and returns its errors as `LINE:COL: message` lines
/// (help lines dropped, so each rule's test states the message it owns).
fn errors(source: &str) -> Vec<String> {
    let errors = parse(source).expect_err("the spec should be rejected");
    errors
        .errors()
        .iter()
        .map(|e| match e.location {
            Some(l) => format!("{l}: {}", e.message),
            None => e.message.clone(),
        })
        .collect()
}

fn help(source: &str) -> String {
    let errors = parse(source).expect_err("the spec should be rejected");
    errors.errors()[0].help.clone().unwrap_or_default()
}

fn ok(source: &str) -> Spec {
    match parse(source) {
        Ok(spec) => spec,
        Err(e) => panic!("unexpected errors:\n{e}"),
    }
}

#[test]
fn defaults_are_filled_in() {
    let spec = ok("input: 2\nlayers:\n  - units: 3\nloss: mse\n");
    assert_eq!(spec.name, None);
    assert_eq!(spec.layers[0].activation, Activation::Identity);
    assert_eq!(spec.layers[0].lr_scale, 1.0);
    assert_eq!(spec.optimizer, Optimizer::Sgd { lr: 0.01 });
    assert_eq!(spec.schedule.kind, ScheduleKind::Constant);
    assert_eq!(
        spec.regularization,
        Regularization {
            l2: 0.0,
            l1: 0.0,
            bias: false
        }
    );
    assert_eq!(spec.init.weights, None);
    assert_eq!(spec.init.bias, InitScheme::Zeros);
    assert_eq!(spec.batch_size, 32);
    assert_eq!(spec.precision, Precision::F32);
    assert_eq!(spec.training.epochs, 100);
    assert!(spec.training.shuffle);
    assert_eq!(spec.training.early_stopping, None);
}

#[test]
fn the_full_format_parses() {
    let spec = ok(r#"
name: iris
version: 1
input: 4
layers:
  - units: 16
    activation: relu
  - units: 16
    activation: {kind: leaky_relu, alpha: 0.02}
    lr_scale: 0.5
  - {units: 8, activation: {kind: elu, alpha: 0.5}}
  - {units: 8, activation: gelu}
  - {units: 8, activation: softplus}
  - {units: 8, activation: linear}
  - {units: 8, activation: tanh}
  - {units: 8, activation: sigmoid}
  - units: 3
    activation: softmax
loss: cross_entropy
optimizer: {kind: adamw, lr: 0.002, beta1: 0.8, beta2: 0.99, eps: 1.0e-7, weight_decay: 0.05}
schedule: {kind: cosine, horizon: 50, min_lr: 1.0e-5, every: step, warmup: {steps: 10}}
regularization: {l2: 1.0e-4, l1: 1.0e-5, bias: true}
init: {weights: {kind: normal, std: 0.02}, bias: zeros, seed: 42}
batch_size: 16
precision: f64
training:
  epochs: 7
  shuffle: false
  validation_split: 0.2
  early_stopping: {monitor: val_accuracy, patience: 3, min_delta: 0.001, restore_best: false}
  min_loss_change: 1.0e-6
  clip_grad_norm: 5
"#);
    assert_eq!(spec.name.as_deref(), Some("iris"));
    assert_eq!(spec.layers.len(), 9);
    assert_eq!(
        spec.layers[1].activation,
        Activation::LeakyRelu { alpha: 0.02 }
    );
    assert_eq!(spec.layers[1].lr_scale, 0.5);
    assert_eq!(spec.layers[2].activation, Activation::Elu { alpha: 0.5 });
    assert_eq!(spec.layers[5].activation, Activation::Identity);
    assert_eq!(
        spec.optimizer,
        Optimizer::Adamw {
            lr: 0.002,
            beta1: 0.8,
            beta2: 0.99,
            eps: 1e-7,
            weight_decay: 0.05
        }
    );
    assert_eq!(
        spec.schedule.kind,
        ScheduleKind::Cosine {
            horizon: 50,
            min_lr: 1e-5
        }
    );
    assert_eq!(spec.schedule.every, ScheduleUnit::Step);
    assert_eq!(spec.schedule.warmup, Some(Warmup { length: 10 }));
    assert_eq!(spec.init.weights, Some(InitScheme::Normal { std: 0.02 }));
    assert_eq!(spec.init.seed, 42);
    assert_eq!(spec.batch_size, 16);
    assert_eq!(spec.precision, Precision::F64);
    assert_eq!(spec.training.clip_grad_norm, Some(5.0));
    let stop = spec.training.early_stopping.unwrap();
    assert_eq!(stop.monitor, Monitor::ValAccuracy);
    assert_eq!(stop.patience, 3);
    assert!(!stop.restore_best);
}

#[test]
fn canonical_form_round_trips_and_normalises() {
    let spec = ok(
        "input: 2\nlayers:\n  - {units: 3, activation: linear}\n  - units: 1\n    activation: sigmoid\nloss: bce\noptimizer: adam\nschedule: {kind: step, step_size: 5}\n",
    );
    let canonical = spec.canonical_yaml();
    assert_eq!(ok(&canonical), spec);
    // Another spelling of the same network has the same canonical form.
    let same = ok(
        "layers: [{units: 3, activation: identity}, {units: 1, activation: sigmoid}]\ninput: 2\nloss: {kind: bce}\noptimizer: {kind: adam, lr: 0.001}\nschedule: {kind: step, step_size: 5, gamma: 0.1}\nbatch_size: 32\n",
    );
    assert_eq!(same.canonical_yaml(), canonical);
    assert!(canonical.contains("kind: identity"), "{canonical}");
}

#[test]
fn every_optimizer_and_schedule_parses_with_its_defaults() {
    let cases = [
        ("sgd", Optimizer::Sgd { lr: 0.01 }),
        (
            "momentum",
            Optimizer::Momentum {
                lr: 0.01,
                momentum: 0.9,
            },
        ),
        (
            "nesterov",
            Optimizer::Nesterov {
                lr: 0.01,
                momentum: 0.9,
            },
        ),
        (
            "adagrad",
            Optimizer::Adagrad {
                lr: 0.01,
                eps: 1e-10,
                initial_accumulator: 0.0,
            },
        ),
        (
            "rmsprop",
            Optimizer::Rmsprop {
                lr: 0.01,
                alpha: 0.99,
                eps: 1e-8,
            },
        ),
        (
            "adam",
            Optimizer::Adam {
                lr: 0.001,
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
            },
        ),
    ];
    for (name, expected) in cases {
        let spec = ok(&format!(
            "{HEAD}  - units: 1\nloss: mse\noptimizer: {name}\n"
        ));
        assert_eq!(spec.optimizer, expected);
    }
    let schedules = [
        ("constant", ScheduleKind::Constant),
        (
            "{kind: step, step_size: 3}",
            ScheduleKind::Step {
                step_size: 3,
                gamma: 0.1,
            },
        ),
        (
            "{kind: exponential, gamma: 0.9}",
            ScheduleKind::Exponential { gamma: 0.9 },
        ),
        (
            "{kind: inverse_time, decay: 0.5}",
            ScheduleKind::InverseTime { decay: 0.5 },
        ),
        ("inverse_sqrt", ScheduleKind::InverseSqrt),
        (
            "{kind: polynomial, horizon: 10}",
            ScheduleKind::Polynomial {
                power: 1.0,
                end_lr: 0.0,
                horizon: 10,
            },
        ),
        (
            "{kind: cosine, horizon: 10}",
            ScheduleKind::Cosine {
                horizon: 10,
                min_lr: 0.0,
            },
        ),
    ];
    for (text, expected) in schedules {
        let spec = ok(&format!(
            "{HEAD}  - units: 1\nloss: mse\nschedule: {text}\n"
        ));
        assert_eq!(spec.schedule.kind, expected);
    }
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let source = format!("{HEAD}  - unit: 3\nloss: mse\n");
    assert_eq!(
        errors(&source),
        [
            "3:5: unknown key `unit` in `layers[0]`",
            "3:5: missing required key `units` in `layers[0]`"
        ]
    );
    assert_eq!(
        help(&source),
        "did you mean `units`? allowed keys: units, activation, lr_scale, batch_norm, residual, dropout"
    );
    assert_eq!(
        errors("input: 2\nlayers: [{units: 1}]\nloss: mse\noptimiser: adam\n"),
        ["4:1: unknown key `optimiser` in the spec"]
    );
    assert!(
        help("input: 2\nlayers: [{units: 1}]\nloss: mse\noptimiser: adam\n")
            .starts_with("did you mean `optimizer`?")
    );
}

#[test]
fn missing_required_keys_are_named() {
    assert_eq!(
        errors("layers: [{units: 1}]\nloss: mse\n"),
        ["1:1: missing required key `input` in the spec"]
    );
    assert_eq!(
        errors("input: 3\nloss: mse\n"),
        ["1:1: missing required key `layers` in the spec"]
    );
    assert_eq!(
        errors("input: 3\nlayers: [{units: 1}]\n"),
        ["1:1: missing required key `loss` in the spec"]
    );
    assert_eq!(errors(""), ["the spec is empty"]);
    // A CSV file given as the spec: YAML reads it as one string, quoted by its start.
    let rows = "5.1,3.5,1.4,0.2,setosa\n".repeat(150);
    assert_eq!(
        errors(&format!(
            "sepal length (cm),sepal width (cm),species\n{rows}"
        )),
        [
            "1:1: the spec must be a mapping of `key: value` pairs, found \
             `sepal length (cm),sepal width (cm),speci...` (3492 characters)"
        ]
    );
    // Cut between characters, not inside one.
    let long = "é".repeat(50);
    let message = &errors(&format!("{HEAD}  - units: {long}\nloss: mse\n"))[0];
    assert!(
        message.ends_with(&format!("found `{}...` (50 characters)", &long[..80])),
        "{message}"
    );
}

#[test]
fn sizes_must_be_positive_whole_numbers() {
    assert_eq!(
        errors("input: 0\nlayers: [{units: 1}]\nloss: mse\n"),
        ["1:8: `input` must be at least 1, found 0"]
    );
    assert_eq!(
        errors(&format!("{HEAD}  - units: -2\nloss: mse\n")),
        ["3:12: `units` must be at least 1, found -2"]
    );
    assert_eq!(
        errors(&format!("{HEAD}  - units: 2.5\nloss: mse\n")),
        ["3:12: `units` must be a whole number, found `2.5`"]
    );
    assert_eq!(
        errors(&format!("{HEAD}  - units: many\nloss: mse\n")),
        ["3:12: `units` must be a whole number, found `many`"]
    );
    assert_eq!(
        errors(&format!("{HEAD}  - units: 2000000\nloss: mse\n")),
        ["3:12: `units` is 2000000, above the largest supported size 1048576"]
    );
    assert_eq!(
        errors(&format!("{HEAD}  - units: 1\nloss: mse\nbatch_size: 0\n")),
        ["5:13: `batch_size` must be at least 1, found 0"]
    );
    assert_eq!(
        errors(&format!(
            "{HEAD}  - units: 1\nloss: mse\nbatch_size: 100000000000\n"
        )),
        ["5:13: `batch_size` is 100000000000, above the largest supported size 1048576"]
    );
    assert_eq!(
        errors("input: 2\nlayers: []\nloss: mse\n"),
        ["2:9: `layers` is empty"]
    );
}

#[test]
fn numbers_must_be_finite_and_in_range() {
    let one = format!("{HEAD}  - units: 1\nloss: mse\n");
    assert_eq!(
        errors(&format!("{one}optimizer: {{kind: sgd, lr: 0}}\n")),
        ["5:28: `lr` must be a finite number > 0, found `0`"]
    );
    assert_eq!(
        errors(&format!("{one}optimizer: {{kind: sgd, lr: .nan}}\n")),
        ["5:28: `lr` must be a finite number > 0, found `.nan`"]
    );
    assert_eq!(
        errors(&format!(
            "{one}optimizer: {{kind: adam, beta1: 1.0, eps: -1}}\n"
        )),
        [
            "5:32: `beta1` must be a finite number in [0, 1), found `1.0`",
            "5:42: `eps` must be a finite number > 0, found `-1`"
        ]
    );
    assert_eq!(
        errors(&format!(
            "{one}optimizer: {{kind: momentum, momentum: .inf}}\n"
        )),
        ["5:39: `momentum` must be a finite number in [0, 1), found `.inf`"]
    );
    assert_eq!(
        errors(&format!("{one}regularization: {{l2: -0.1}}\n")),
        ["5:22: `l2` must be a finite number >= 0, found `-0.1`"]
    );
    assert_eq!(
        errors(&format!("{one}training: {{validation_split: 1.5}}\n")),
        ["5:30: `validation_split` must be a finite number in [0, 1), found `1.5`"]
    );
    assert_eq!(
        errors(&format!("{HEAD}  - {{units: 1, lr_scale: 0}}\nloss: mse\n")),
        ["3:26: `lr_scale` must be a finite number > 0, found `0`"]
    );
    assert_eq!(
        errors(&format!(
            "{HEAD}  - {{units: 1, activation: {{kind: elu, alpha: 0}}}}\nloss: mse\n"
        )),
        ["3:47: `alpha` must be a finite number > 0, found `0`"]
    );
}

#[test]
fn unknown_names_get_a_suggestion() {
    let source = format!("{HEAD}  - {{units: 1, activation: rleu}}\nloss: mse\n");
    assert_eq!(errors(&source), ["3:28: unknown activation `rleu`"]);
    assert!(help(&source).starts_with("did you mean `relu`?"));
    let source = format!("{HEAD}  - units: 1\nloss: mse\noptimizer: adma\n");
    assert_eq!(errors(&source), ["5:12: unknown optimizer `adma`"]);
    assert!(help(&source).starts_with("did you mean `adam`?"));
    let source = format!("{HEAD}  - units: 1\nloss: crossentropy\n");
    assert_eq!(errors(&source), ["4:7: unknown loss `crossentropy`"]);
    assert!(help(&source).starts_with("did you mean `cross_entropy`? losses: mse, "));
    let source = format!("{HEAD}  - units: 1\nloss: mse\nschedule: cosin\n");
    assert!(help(&source).starts_with("did you mean `cosine`? schedules: constant, "));
    let source = format!("{HEAD}  - units: 1\nloss: mse\ninit: {{weights: he}}\n");
    assert!(
        help(&source).contains("init schemes: zeros, "),
        "{}",
        help(&source)
    );
    assert_eq!(
        errors(&format!("{HEAD}  - units: 1\nloss: mse\nprecision: f16\n")),
        ["5:12: `precision` must be `f32` or `f64`, found `f16`"]
    );
}

#[test]
fn parameters_of_another_kind_are_unknown_keys() {
    let source = format!(
        "{HEAD}  - units: 1\nloss: mse\noptimizer: {{kind: sgd, lr: 0.1, momentum: 0.9}}\n"
    );
    assert_eq!(
        errors(&source),
        ["5:33: unknown key `momentum` in the `sgd` optimizer"]
    );
}

#[test]
fn pytorch_arguments_spelled_otherwise_say_what_to_write() {
    let optimizer = |written: &str| {
        help(&format!(
            "{HEAD}  - units: 1\nloss: mse\noptimizer: {{{written}}}\n"
        ))
    };
    assert_eq!(
        optimizer("kind: sgd, lr: 0.1, momentum: 0.9"),
        "torch's `SGD(momentum=...)` is an optimizer of its own here: \
         `{kind: momentum, momentum: 0.9}` (or `kind: nesterov` for `nesterov=True`)"
    );
    assert_eq!(
        optimizer("kind: sgd, nesterov: true"),
        "torch's `SGD(nesterov=True)` is `{kind: nesterov, momentum: 0.9}`"
    );
    for kind in ["adam", "adamw"] {
        assert_eq!(
            optimizer(&format!("kind: {kind}, betas: [0.9, 0.99]")),
            "write torch's `betas=(b1, b2)` as `beta1: b1, beta2: b2`"
        );
    }
    for kind in ["sgd", "adam", "rmsprop"] {
        assert_eq!(
            optimizer(&format!("kind: {kind}, weight_decay: 0.01")),
            "torch's `weight_decay` adds `weight_decay * W` to the gradient, which is \
             `regularization: {l2: VALUE}` here (`kind: adamw` takes a decoupled `weight_decay`)"
        );
    }
    // Where torch's argument has no counterpart, the allowed keys.
    assert_eq!(
        optimizer("kind: rmsprop, momentum: 0.9"),
        "allowed keys: kind, lr, alpha, eps"
    );
    let activation = |kind: &str| {
        help(&format!(
            "{HEAD}  - {{units: 4, activation: {{kind: {kind}, negative_slope: 0.1}}}}\n  \
             - units: 1\nloss: mse\n"
        ))
    };
    assert_eq!(
        activation("leaky_relu"),
        "torch's `negative_slope` is `alpha` here: `{kind: leaky_relu, alpha: 0.01}`"
    );
    assert_eq!(activation("elu"), "allowed keys: kind, alpha");
}

#[test]
fn softmax_only_on_a_wide_enough_output_layer() {
    let source = format!(
        "{HEAD}  - {{units: 4, activation: softmax}}\n  - {{units: 2, activation: softmax}}\nloss: cross_entropy\n"
    );
    assert_eq!(
        errors(&source),
        ["3:28: softmax is only allowed on the output layer, but `layers[0]` is a hidden layer"]
    );
    let source = format!("{HEAD}  - {{units: 1, activation: softmax}}\nloss: cross_entropy\n");
    assert_eq!(
        errors(&source),
        ["3:13: softmax needs at least 2 units, `layers[0]` has 1"]
    );
    assert!(help(&source).contains("sigmoid"));
}

#[test]
fn the_loss_must_fit_the_output_activation() {
    let with = |activation: &str, loss: &str| {
        format!("{HEAD}  - {{units: 2, activation: {activation}}}\nloss: {loss}\n")
    };
    assert_eq!(
        errors(&with("softmax", "bce")),
        ["4:7: loss `bce` needs a sigmoid output layer, but the output activation is `softmax`"]
    );
    assert!(help(&with("softmax", "bce")).contains("cross_entropy"));
    assert_eq!(
        errors(&with("relu", "cross_entropy")),
        [
            "4:7: loss `cross_entropy` needs a softmax output layer, but the output activation is `relu`"
        ]
    );
    assert_eq!(
        errors(&with("sigmoid", "kl_div")),
        ["4:7: loss `kl_div` needs a softmax output layer, but the output activation is `sigmoid`"]
    );
    assert_eq!(
        errors(&with("sigmoid", "hinge")),
        [
            "4:7: loss `hinge` needs an identity or tanh output layer, but the output activation is `sigmoid`"
        ]
    );
    for (activation, loss) in [
        ("softmax", "cross_entropy"),
        ("softmax", "kl_div"),
        ("sigmoid", "bce"),
        ("fast_sigmoid", "bce"),
        ("tanh", "hinge"),
        ("fast_tanh", "hinge"),
        ("softmax", "mse"),
        ("sigmoid", "huber"),
        ("fast_tanh", "mse"),
    ] {
        ok(&with(activation, loss));
    }
    assert_eq!(
        errors(&with("fast_tanh", "bce")),
        ["4:7: loss `bce` needs a sigmoid output layer, but the output activation is `fast_tanh`"]
    );
}

#[test]
fn fast_activations_make_their_heads() {
    let spec = ok(&format!(
        "{HEAD}  - {{units: 8, activation: fast_tanh}}\n  - {{units: 1, activation: fast_sigmoid}}\nloss: bce\n"
    ));
    assert_eq!(spec.layers[0].activation, Activation::FastTanh);
    assert_eq!(spec.plan().head, crate::Head::FastSigmoidBce);
    let spec = ok(&format!(
        "{HEAD}  - {{units: 1, activation: fast_tanh}}\nloss: hinge\n"
    ));
    assert_eq!(
        spec.plan().head,
        crate::Head::Chain {
            activation: Activation::FastTanh,
            loss: crate::ElementLoss::Hinge
        }
    );
}

#[test]
fn the_step_activation_is_explained() {
    let source = format!("{HEAD}  - {{units: 2, activation: step}}\nloss: mse\n");
    assert_eq!(
        errors(&source),
        [
            "3:28: the `step` activation cannot be trained: its derivative is zero almost everywhere, so backpropagation passes no gradient through it and nothing learns"
        ]
    );
    assert!(help(&source).contains("sigmoid"));
}

#[test]
fn every_error_is_reported_at_once() {
    let source = "input: 0\nlayers:\n  - {units: 4, activation: rleu}\n  - {units: 0, activation: softmax}\nloss: bce\noptimizer: {kind: adam, lr: -1}\nbogus: 1\n";
    assert_eq!(
        errors(source),
        [
            "1:8: `input` must be at least 1, found 0",
            "3:28: unknown activation `rleu`",
            "4:13: `units` must be at least 1, found 0",
            "5:7: loss `bce` needs a sigmoid output layer, but the output activation is `softmax`",
            "6:29: `lr` must be a finite number > 0, found `-1`",
            "7:1: unknown key `bogus` in the spec",
        ]
    );
}

#[test]
fn yaml_syntax_errors_have_a_position() {
    let errors = errors("input: 2\nlayers:\n  - {units: 2\nloss: mse\n");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("4:5: invalid YAML: "),
        "{}",
        errors[0]
    );
}

#[test]
fn schedules_and_training_are_checked() {
    let one = format!("{HEAD}  - units: 1\nloss: mse\n");
    assert_eq!(
        errors(&format!("{one}schedule: {{kind: step}}\n")),
        ["5:11: missing required key `step_size` in `step`"]
    );
    assert_eq!(
        errors(&format!(
            "{one}schedule: {{kind: constant, every: batch}}\n"
        )),
        ["5:35: `every` must be `epoch` or `step`, found `batch`"]
    );
    assert_eq!(
        errors(&format!(
            "{one}schedule: {{kind: constant, warmup: {{steps: 3}}}}
"
        )),
        [
            "5:37: this schedule counts epochs (`every: epoch`), so its warm-up is in epochs, not steps"
        ]
    );
    assert!(
        help(&format!(
            "{one}schedule: {{kind: constant, warmup: {{steps: 3}}}}
"
        ))
        .contains("set `every: step`")
    );
    assert_eq!(
        errors(&format!(
            "{one}schedule: {{kind: constant, every: step, warmup: {{epochs: 3}}}}
"
        )),
        [
            "5:50: this schedule counts steps (`every: step`), so its warm-up is in steps, not epochs"
        ]
    );
    let epochs = ok(&format!(
        "{one}schedule: {{kind: constant, warmup: {{epochs: 3}}}}\n"
    ));
    assert_eq!(epochs.schedule.warmup, Some(Warmup { length: 3 }));
    assert!(
        epochs.canonical_yaml().contains("warmup:\n    epochs: 3\n"),
        "{}",
        epochs.canonical_yaml()
    );
    assert_eq!(
        errors(&format!(
            "{one}training: {{early_stopping: {{monitor: val_accuracy}}}}\n"
        )),
        ["5:38: early stopping cannot monitor `val_accuracy` with the loss of this spec"]
    );
    assert_eq!(
        errors(&format!("{one}training: {{epochs: 0, shufle: true}}\n")),
        [
            "5:20: `epochs` must be at least 1, found 0",
            "5:23: unknown key `shufle` in `training`"
        ]
    );
}

#[test]
fn layout_is_layer_by_layer_weight_then_bias() {
    let spec = ok("input: 3\nlayers: [{units: 4}, {units: 2}]\nloss: mse\n");
    let layout = spec.param_layout();
    let summary: Vec<_> = layout
        .iter()
        .map(|s| (s.layer, s.role.name(), s.offset, s.rows, s.cols))
        .collect();
    assert_eq!(
        summary,
        [
            (0, "weight", 0, 4, 3),
            (0, "bias", 12, 4, 1),
            (1, "weight", 16, 2, 4),
            (1, "bias", 24, 2, 1)
        ]
    );
    assert_eq!(spec.param_count(), 26);
}

#[test]
fn equal_starting_weights_with_a_hidden_layer_need_an_explicit_opt_in() {
    let two = "input: 2\nlayers: [{units: 4}, {units: 1}]\nloss: mse\n";
    let source = format!("{two}init: {{weights: zeros}}\n");
    assert_eq!(
        errors(&source),
        [
            "4:17: `weights: zeros` gives every unit of a hidden layer the same weights, so they \
          get the same gradients and stay identical forever: each hidden layer learns as if it \
          had one unit"
        ]
    );
    assert!(help(&source).contains("add `symmetric: true` to `init`"));

    let opted_in = ok(&format!("{two}init: {{weights: zeros, symmetric: true}}\n"));
    assert_eq!(opted_in.init.weights, Some(InitScheme::Zeros));
    assert!(opted_in.init.symmetric);
    assert_eq!(
        crate::parse(&opted_in.canonical_yaml()),
        Ok(opted_in.clone())
    );

    // Without a hidden layer, zeros is a fine start (logistic regression starts there).
    let one = ok("input: 2\nlayers: [{units: 1}]\nloss: mse\ninit: {weights: zeros}\n");
    assert!(!one.init.symmetric);
    assert!(
        !one.canonical_yaml().contains("symmetric"),
        "the default is not written"
    );

    let torch = ok(&format!(
        "{two}init: {{weights: torch_default, bias: torch_default}}\n"
    ));
    assert_eq!(
        (torch.init.weights, torch.init.bias),
        (Some(InitScheme::TorchDefault), InitScheme::TorchDefault)
    );
}

#[test]
fn class_weights_are_balanced_or_one_positive_weight_per_class() {
    let softmax = "input: 2\nlayers: [{units: 3, activation: softmax}]\nloss: cross_entropy\n";
    let given = ok(&format!(
        "{softmax}training: {{class_weights: [1, 2.5, 0.5]}}\n"
    ));
    assert_eq!(
        given.training.class_weights,
        Some(ClassWeights::Given(vec![1.0, 2.5, 0.5]))
    );
    assert_eq!(given.training.given_class_weights(), &[1.0, 2.5, 0.5]);
    assert_eq!(crate::parse(&given.canonical_yaml()), Ok(given.clone()));
    let balanced = ok(&format!("{softmax}training: {{class_weights: balanced}}\n"));
    assert_eq!(
        balanced.training.class_weights,
        Some(ClassWeights::Balanced)
    );
    assert!(balanced.training.given_class_weights().is_empty());
    assert_eq!(
        crate::parse(&balanced.canonical_yaml()),
        Ok(balanced.clone())
    );
    assert!(!ok(softmax).canonical_yaml().contains("class_weights"));

    assert_eq!(
        errors(&format!("{softmax}training: {{class_weights: [1, 2]}}\n")),
        ["4:27: `class_weights` lists 2 weights, but the network has 3 classes"]
    );
    assert_eq!(
        errors(&format!(
            "{softmax}training: {{class_weights: [1, -2, 0.5]}}\n"
        )),
        ["4:31: `class_weights` must be a finite number > 0, found `-2`"]
    );
    assert_eq!(
        errors(&format!("{softmax}training: {{class_weights: even}}\n")),
        ["4:27: `class_weights` must be `balanced` or a list of numbers, found `even`"]
    );
    let sigmoid = "input: 2\nlayers: [{units: 1, activation: sigmoid}]\nloss: bce\n";
    assert!(
        ok(&format!("{sigmoid}training: {{class_weights: [1, 3]}}\n"))
            .training
            .class_weights
            .is_some()
    );
    let mse = "input: 2\nlayers: [{units: 1}]\nloss: mse\n";
    assert_eq!(
        errors(&format!("{mse}training: {{class_weights: balanced}}\n")),
        ["4:27: class weights apply to `cross_entropy` and `bce`, not `mse`"]
    );
    let multi_label = "input: 2\nlayers: [{units: 2, activation: sigmoid}]\nloss: bce\n";
    assert_eq!(
        errors(&format!(
            "{multi_label}training: {{class_weights: balanced}}\n"
        )),
        [
            "4:27: class weights with `bce` need one output: with several, each output is a label of its own"
        ]
    );
}

const SEARCHED: &str = "input: 2\nlayers:\n  - {units: 8, activation: relu}\n  - {units: 3, activation: softmax}\n\
                        loss: cross_entropy\noptimizer: {kind: adam, lr: 0.01}\nsearch:\n";

#[test]
fn a_search_section_reads_with_its_defaults_and_round_trips() {
    let spec = ok(&format!(
        "{SEARCHED}  space:\n    optimizer.lr: [0.001, 0.01]\n    layers.0.units: [4, 16]\n"
    ));
    let search = spec.search.clone().expect("a search");
    assert_eq!(search.method, crate::SearchMethod::Coordinate { rounds: 3 });
    assert_eq!(search.scoring, crate::Scoring::KFold { folds: 5 });
    assert_eq!(search.metric, crate::SearchMetric::Accuracy);
    assert_eq!(search.space.len(), 2);
    assert_eq!(
        search.space[1].values,
        crate::AxisValues::List(vec![4.0, 16.0])
    );
    assert_eq!(ok(&spec.canonical_yaml()), spec);
    let random = ok(&format!(
        "{SEARCHED}  method: random\n  trials: 7\n  validation_split: 0.25\n  metric: val_loss\n  \
         seed: 3\n  space: {{optimizer.lr: {{log_uniform: [0.0001, 0.1]}}}}\n"
    ));
    assert_eq!(ok(&random.canonical_yaml()), random);
    assert_eq!(
        random.search.unwrap().space[0].values,
        crate::AxisValues::LogUniform {
            low: 0.0001,
            high: 0.1
        }
    );
}

#[test]
fn search_errors_point_at_the_key_or_value_at_fault() {
    let at = |body: &str| errors(&format!("{SEARCHED}{body}"));
    assert_eq!(
        at("  space:\n    optimizer.lrr: [0.1]\n"),
        ["9:5: unknown hyper-parameter `optimizer.lrr` in `space`"]
    );
    assert_eq!(
        at("  space:\n    optimizer.lr: []\n"),
        ["9:19: `optimizer.lr` lists no values to try"]
    );
    assert_eq!(
        at("  space:\n    optimizer.lr: [0.1, fast]\n"),
        ["9:25: values of `optimizer.lr` must be numbers, found `fast`"]
    );
    assert_eq!(
        at("  space:\n    optimizer.beta1: [0.9, 1.5]\n"),
        [
            "9:28: `optimizer.beta1: 1.5` is refused: `beta1` must be a finite number in [0, 1), found `1.5`"
        ]
    );
    // A listed fraction of a whole-number key would be tried rounded, as another value.
    assert_eq!(
        at("  space:\n    training.epochs: [10, 12.5]\n"),
        ["9:27: `training.epochs: 12.5` is refused: `training.epochs` takes whole numbers"]
    );
    assert!(
        parse(&format!(
            "{SEARCHED}  space:\n    training.epochs: [10, 12.0]\n"
        ))
        .is_ok()
    );
    assert_eq!(
        at("  method: grid\n  rounds: 2\n  space: {optimizer.lr: [0.1]}\n"),
        ["9:11: `rounds` belongs to `method: coordinate`, not `method: grid`"]
    );
    assert_eq!(
        at("  method: random\n  space: {optimizer.lr: [0.1]}\n"),
        ["8:3: missing required key `trials` in a random `search`"]
    );
    assert_eq!(
        at("  metric: r2\n  space: {optimizer.lr: [0.1]}\n"),
        ["8:11: `metric: r2` does not score a classification loss"]
    );
    assert_eq!(
        at("  space: {optimizer.lr: {log_uniform: [0.1, 0.01]}}\n"),
        ["8:39: a `log_uniform` range needs `method: random`, not `method: coordinate`"]
    );
    assert_eq!(
        at("  folds: 1\n  space: {optimizer.lr: [0.1]}\n"),
        ["8:10: `folds` must be at least 2, found 1"]
    );
    assert_eq!(
        at("  space: {}\n"),
        ["8:10: `space` names no hyper-parameter to search"]
    );
    // A search too large to run is refused before its trials are listed: a random one of
    // more than `MAX_TRIALS` draws, a grid of more points (a million exactly is allowed).
    assert_eq!(
        at("  method: random\n  trials: 100000000000\n  space: {optimizer.lr: [0.1]}\n"),
        ["9:11: `trials` must be at most 1000000, found 100000000000"]
    );
    let values = |n: usize| {
        let listed: Vec<String> = (1..=n).map(|k| k.to_string()).collect();
        format!("[{}]", listed.join(", "))
    };
    let grid = |epochs: usize| {
        format!(
            "  method: grid\n  space:\n    layers.0.units: {}\n    training.epochs: {}\n    \
             batch_size: {}\n",
            values(100),
            values(100),
            values(epochs)
        )
    };
    assert!(parse(&format!("{SEARCHED}{}", grid(100))).is_ok());
    assert_eq!(
        at("  space: {hidden_layers: [1, 1000000000]}\n"),
        [
            "8:30: `hidden_layers: 1000000000` is refused: `hidden_layers` must be at most 1024, found 1000000000"
        ]
    );
    assert_eq!(
        at(&grid(101)),
        [
            "10:5: the grid has 1010000 points (100 x 100 x 101), more than the 1000000 a search may try"
        ]
    );
}

#[test]
fn check_applies_the_search_rules_to_a_search_changed_in_code() {
    let mut spec = ok(&format!("{SEARCHED}  space: {{optimizer.lr: [0.1]}}\n"));
    assert!(spec.check().is_ok());
    let search = spec.search.as_mut().expect("a search");
    search.scoring = crate::Scoring::KFold { folds: 1 };
    search.space[0].key = "optimizer.lrr".to_owned();
    let messages: Vec<String> = spec
        .check()
        .unwrap_err()
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(
        messages,
        [
            "search.folds: `folds` must be at least 2, found 1",
            "search.space.optimizer.lrr: unknown hyper-parameter `optimizer.lrr` in `space`"
        ]
    );
}

#[test]
fn a_compiled_network_searches_only_run_time_keys() {
    let source =
        format!("{SEARCHED}  space:\n    regularization.l2: [0, 0.01]\n    batch_size: [8, 16]\n");
    assert!(parse(&source).is_ok(), "the dynamic engine searches sizes");
    let errors = crate::parse_for(&source, crate::Engine::Compiled).unwrap_err();
    assert_eq!(errors.errors().len(), 1);
    let error = &errors.errors()[0];
    assert_eq!(
        (
            error.location.map(|l| (l.line, l.column)),
            error.message.as_str()
        ),
        (
            Some((10, 5)),
            "`batch_size` changes the network's sizes, which `#[mlp]` compiles in"
        )
    );
}

#[test]
fn an_unknown_searched_key_suggests_its_sections_closest_key() {
    let source = format!("{SEARCHED}  space:\n    optimizer.lrr: [0.1]\n");
    assert!(
        help(&source)
            .starts_with("did you mean `optimizer.lr`? this spec can search: optimizer.lr, "),
        "{}",
        help(&source)
    );
}

#[test]
fn batch_norm_residual_and_dropout_errors_are_located() {
    assert_eq!(
        errors("input: 3\nlayers:\n  - {units: 4, residual: true}\n  - {units: 1}\nloss: mse\n"),
        [
            "3:26: `layers[0]` is residual, so its input must have its size, but it has 3 inputs (from the network's `input`) and 4 units"
        ]
    );
    assert_eq!(
        errors(&format!(
            "{HEAD}  - {{units: 4, batch_norm: yes}}\n  - {{units: 1}}\nloss: mse\n"
        )),
        ["3:28: `batch_norm` must be `true`, `false` or `{eps: E, momentum: M}`, found `yes`"]
    );
    assert_eq!(
        errors(&format!(
            "{HEAD}  - {{units: 4, batch_norm: {{momentum: 1.5, epsilon: 1}}}}\n  - {{units: 1}}\nloss: mse\n"
        )),
        [
            "3:39: `momentum` must be a finite number in [0, 1], found `1.5`",
            "3:44: unknown key `epsilon` in `batch_norm`"
        ]
    );
    assert_eq!(
        errors(&format!(
            "{HEAD}  - {{units: 4, dropout: -0.1}}\n  - {{units: 1, dropout: 0.5}}\nloss: mse\n"
        )),
        [
            "3:25: `dropout` must be a probability in [0, 1), found `-0.1`",
            "4:25: `dropout` is only allowed on hidden layers, but `layers[1]` is the output layer"
        ]
    );
    // What the plan records: no bias for a normalised layer, scratch for the extras.
    let spec = ok(&format!(
        "{HEAD}  - {{units: 4, batch_norm: true, dropout: 0.5}}\n  - {{units: 4, residual: true}}\n  - {{units: 1}}\nloss: mse\n"
    ));
    assert_eq!(spec.param_count(), 4 * (2 + 4) + 4 * 5 + 5);
    let plan = spec.plan();
    assert_eq!(
        (plan.extra_columns, plan.extra_fixed),
        (3 * 4 + 2 * 4, 4 * 4)
    );
    assert!(plan.has_batch_norm() && plan.has_dropout() && !plan.fused_sgd);
    assert_eq!(plan.tape_len(2), 2 * (3 * 9 + 20) + 16);
}

#[test]
fn threads_are_a_whole_number_from_1_to_256() {
    let spec = |threads: &str| {
        format!("{HEAD}  - {{units: 2}}\nloss: mse\ntraining:\n  threads: {threads}\n")
    };
    assert_eq!(ok(&spec("4")).training.threads, 4);
    assert_eq!(
        ok("input: 2\nlayers: [{units: 1}]\nloss: mse\n")
            .training
            .threads,
        1
    );
    assert_eq!(
        errors(&spec("0")),
        ["6:12: `threads` must be at least 1, found 0"]
    );
    assert_eq!(
        errors(&spec("two")),
        ["6:12: `threads` must be a whole number, found `two`"]
    );
    assert_eq!(
        errors(&spec("1000")),
        ["6:12: `threads` must be at most 256, found 1000"]
    );
    assert!(help(&spec("1000")).contains("number of cores"));
    // The default stays out of the canonical form, so older specs keep their hashes.
    let canonical = ok(&spec("1")).canonical_yaml();
    assert!(!canonical.contains("threads"), "{canonical}");
    assert!(ok(&spec("2")).canonical_yaml().contains("threads: 2"));
}
