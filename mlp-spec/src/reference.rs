//! # Spec reference (format version 1)
//!
//! A spec is a YAML mapping. Only `input`, `layers` and `loss` are required. Unknown keys are
//! errors (with a did-you-mean suggestion), so a typo never silently falls back to a default.
//! Named choices are written either as a bare name (`activation: relu`) or as a mapping with a
//! `kind` and parameters (`activation: {kind: leaky_relu, alpha: 0.02}`).
//!
//! ```yaml
//! name: iris                 # optional text, recorded in checkpoints
//! input: 4                   # required, 1..=1048576
//! layers:                    # required, at least one; the last is the output layer
//!   - units: 16              # required, 1..=1048576
//!     activation: relu       # default identity
//!   - units: 16
//!     activation: {kind: leaky_relu, alpha: 0.02}
//!     lr_scale: 0.5          # > 0, default 1: multiplies the learning rate of this layer
//!     batch_norm: true       # hidden layers: BatchNorm1d before the activation
//!     residual: true         # hidden layers: a = x + act(z), input size = units
//!     dropout: 0.1           # hidden layers: inverted dropout after the activation
//!   - units: 3
//!     activation: softmax
//! loss: cross_entropy        # required
//! optimizer: {kind: adam, lr: 0.001}
//! schedule: {kind: inverse_sqrt, every: epoch, warmup: {epochs: 2}}
//! regularization: {l2: 1.0e-4, l1: 0.0, bias: false}
//! init: {weights: he_normal, bias: zeros, seed: 42}
//! batch_size: 32
//! precision: f32
//! training:
//!   epochs: 100
//!   shuffle: true
//!   validation_split: 0.0
//!   early_stopping: {monitor: val_loss, patience: 10, min_delta: 0.0, restore_best: true}
//!   min_loss_change: 0.0
//!   clip_grad_norm: null
//! ```
//!
//! ## Top level
//!
//! | key | default | range |
//! |---|---|---|
//! | `version` | 1 | only 1 |
//! | `name` | none | text |
//! | `input` | required | whole number, 1 ..= 1048576 |
//! | `layers` | required | non-empty list of layers |
//! | `loss` | required | see *Losses* |
//! | `optimizer` | `{kind: sgd, lr: 0.01}` | see *Optimizers* |
//! | `schedule` | `constant` | see *Schedules* |
//! | `regularization` | `{l2: 0, l1: 0, bias: false}` | `l1`, `l2` >= 0 |
//! | `init` | `{weights: null, bias: zeros, seed: 0}` | see *Initialisation* |
//! | `batch_size` | 32 | whole number, 1 ..= 1048576: the static batch size of the batched code |
//! | `precision` | `f32` | `f32` or `f64` |
//! | `training` | see *Training* | |
//!
//! ## Layers
//!
//! `units` (required), `activation` (default `identity`), `lr_scale` (default 1, > 0).
//! Layer `i` has a weight of shape `[units, inputs]` (as `torch.nn.Linear`) and a bias of
//! shape `[units]`.
//!
//! Hidden layers (not the output layer) also take three keys, with PyTorch's semantics:
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `batch_norm` | `false` | `true`, or `{eps: 1e-5, momentum: 0.1}` (`eps` > 0, `momentum` in [0, 1]): `nn.BatchNorm1d` between the product and the activation. The product then has no bias (the batch mean would cancel it); the normalisation's scale (gamma, starting at 1) and shift (beta, starting at 0) take the bias' place and are optimised like biases (penalties and AdamW's decay reach them only with `regularization.bias`). Training normalises with the batch's mean and biased variance and moves the running mean and (unbiased) variance by `momentum`; evaluation (forward passes, predictions, validation) uses the running statistics. Needs `batch_size` >= 2. |
//! | `residual` | `false` | `a = x + dropout(act(z))`: the layer adds its input to its output; its input size must equal `units`. |
//! | `dropout` | 0 | in [0, 1): while training, each unit of the activation's output is zeroed with this probability and the others are scaled by `1 / (1 - p)` (inverted dropout); evaluation does nothing. Masks come from the trainer's seeded generator, so runs are reproducible and resume exactly. |
//!
//! A layer with all three computes `u = W x`, `z = gamma (u - mean) / sqrt(var + eps) + beta`,
//! `h = act(z)`, `a = x + dropout(h)`. Checkpoints name the normalisation's tensors as PyTorch
//! names those of `nn.BatchNorm1d` after `nn.Linear`: `layers.{i}.norm.weight`, `.norm.bias`,
//! `.norm.running_mean`, `.norm.running_var` (with `layers.{i}.weight`, and no
//! `layers.{i}.bias`).
//!
//! ## Activations
//!
//! | name | parameters | notes |
//! |---|---|---|
//! | `identity` (alias `linear`) | | |
//! | `sigmoid` | | |
//! | `tanh` | | |
//! | `fast_sigmoid` | | `1/2 + fast_tanh(z/2) / 2` in `f32`: within 2.5e-7 (absolute) |
//! | `fast_tanh` | | Eigen's rational `tanh` in `f32`: within 7.5 ulp (5 with fused multiply-adds) |
//! | `relu` | | derivative 0 at 0 (as PyTorch) |
//! | `leaky_relu` | `alpha` >= 0, default 0.01 (torch's `negative_slope`) | derivative `alpha` at 0 (as PyTorch) |
//! | `elu` | `alpha` > 0, default 1 | |
//! | `gelu` | | exact erf form |
//! | `softplus` | | |
//! | `silu` | | `z sigmoid(z)`, as `torch.nn.SiLU` |
//! | `softmax` | | output layer only, at least 2 units |
//!
//! `sigmoid` and `tanh` are within 2.5 and 2 ulp in `f32`, with the same bits on every CPU.
//! `fast_sigmoid` and `fast_tanh` trade that for a shorter chain of operations, which is
//! what a one-sample prediction of a small network waits on: `fast_tanh` is Eigen's `tanh`
//! (what RTNeural's `tanh` layers compute), `fast_sigmoid` the logistic function from it
//! (RTNeural's sigmoid layers compute `1 / (1 + e^-x)` instead), with fused multiply-adds
//! where the crate is built for a CPU that has them (`-C target-cpu=native` or `x86-64-v3`),
//! so their last bits depend on the build.
//! In `f64` networks they are `sigmoid` and `tanh`.
//!
//! `step` (and `heaviside`, `sign`) are rejected: their derivative is zero almost everywhere,
//! so backpropagation cannot train through them.
//!
//! ## Losses
//!
//! Each is a mean over the batch. `mse`, `mae` and `huber` (parameter `delta` > 0, default 1)
//! also average over outputs, as PyTorch's `MSELoss`, `L1Loss` and `HuberLoss`;
//! `sum_of_squares` is `(1/N) sum_n 1/2 ||yhat_n - y_n||^2`. `bce` needs a sigmoid (or
//! `fast_sigmoid`) output, `cross_entropy` and `kl_div` a softmax output (targets one-hot or
//! probabilities); these three are computed from the logits so that no input makes them
//! infinite or NaN. `hinge` (targets -1 and +1) needs an identity or tanh (or `fast_tanh`)
//! output; 0/1 class labels read from a CSV
//! file become -1/+1 with `CsvTarget::SignedLabel`, which the `mlp` command uses for hinge,
//! and the trainer refuses any other target.
//!
//! ## Optimizers (torch.optim semantics)
//!
//! | kind | parameters and defaults |
//! |---|---|
//! | `sgd` | `lr` 0.01 |
//! | `momentum` | `lr` 0.01, `momentum` 0.9 in [0, 1) |
//! | `nesterov` | `lr` 0.01, `momentum` 0.9 in (0, 1) |
//! | `adagrad` | `lr` 0.01, `eps` 1e-10, `initial_accumulator` 0 |
//! | `rmsprop` | `lr` 0.01, `alpha` 0.99 in [0, 1), `eps` 1e-8 |
//! | `adam` | `lr` 0.001, `beta1` 0.9, `beta2` 0.999 (both in [0, 1)), `eps` 1e-8 |
//! | `adamw` | as `adam`, plus `weight_decay` 0.01 (>= 0) |
//!
//! Every `lr` and `eps` must be > 0.
//!
//! From `torch.optim`: `SGD(momentum=m)` is `{kind: momentum, momentum: m}` and with
//! `nesterov=True` `{kind: nesterov, momentum: m}`; `betas=(b1, b2)` is `beta1: b1,
//! beta2: b2`; the `weight_decay` of every optimizer but `AdamW` (added to the gradient) is
//! `regularization: {l2: ...}`, whose gradient is the same. A spec that writes torch's
//! spelling is refused with this translation as its help.
//!
//! ## Schedules
//!
//! All take `every: epoch | step` (default `epoch`) and a linear warm-up (default none) in the
//! same unit: `warmup: {epochs: N}` for a schedule that steps every epoch, `warmup: {steps:
//! N}` for one that steps every optimizer step; the other key is an error.
//!
//! | kind | parameters |
//! |---|---|
//! | `constant` | |
//! | `step` | `step_size` (required, >= 1), `gamma` 0.1 in (0, 1] |
//! | `exponential` | `gamma` (required, in (0, 1]) |
//! | `inverse_time` | `decay` (required, > 0): `lr / (1 + decay t)` |
//! | `inverse_sqrt` | `lr / sqrt(1 + t)` |
//! | `polynomial` | `horizon` (required), `power` 1, `end_lr` 0 |
//! | `cosine` | `horizon` (required), `min_lr` 0 |
//!
//! ## Initialisation
//!
//! `weights` and `bias` take `zeros`, `normal` (`std` 0.01), `uniform` (`limit` 0.05),
//! `xavier_uniform`, `xavier_normal`, `he_uniform`, `he_normal`, `lecun_normal` and
//! `torch_default` (`U(-1/sqrt(fan_in), 1/sqrt(fan_in))`, PyTorch's `nn.Linear` default for
//! weights and biases; the distribution is PyTorch's, the numbers drawn are this crate's own
//! generator's). Weights default to `he_normal` before relu, leaky_relu and elu layers and
//! `xavier_uniform` otherwise; biases default to `zeros`. `seed` (default 0) drives a
//! portable generator.
//!
//! `weights: zeros` in a network with a hidden layer is an error: every hidden unit would
//! start with the same weights, get the same gradient and stay the same as the others, so
//! the layer would learn as if it had one unit. `symmetric: true` in `init` accepts it.
//!
//! ## Training
//!
//! | key | default | range |
//! |---|---|---|
//! | `epochs` | 100 | >= 1 |
//! | `shuffle` | true | |
//! | `validation_split` | 0 | [0, 1) |
//! | `early_stopping` | none | `monitor` (`val_loss`, `loss`, `val_accuracy`, `val_r2`; default `val_loss`), `patience` 10, `min_delta` 0, `restore_best` true |
//! | `min_loss_change` | 0 (off) | >= 0 |
//! | `clip_grad_norm` | none | > 0 |
//! | `class_weights` | none | `balanced`, or one weight > 0 per class; `cross_entropy` and one-output `bce` only |
//! | `threads` | 1 | 1 to 256 |
//!
//! `threads` lets a training step split its batch into shards, each a forward and backward
//! pass over some of the samples on a thread of its own, whose gradients are summed in shard
//! order before the optimizer's update (which the threads share too). Whether a step splits
//! is decided from the spec, as the kernels are chosen: only when each shard's forward pass
//! has at least a million multiply-adds (784-128-10 at batch 64 splits in two; 64-32-10 at
//! batch 32 never does), and never with batch norm. `mlp expand` shows the decision. The
//! shards fix the result: a run gives the same bits on any number of threads
//! (`TrainConfig::threads`, `mlp train --threads`), though not the same bits as a spec that
//! does not split (the sums are grouped differently). An on-line session of one-sample steps
//! that holds the first layer's update back (`Plan::defers_first_update`, which needs steps
//! that do not split into shards; a batch split by units, as 784-128-10's at batch 64 is,
//! leaves one-sample steps whole) shares its walk over that layer's weight out to the threads,
//! by blocks of 64 of its units (`Plan::held_parts`): each thread
//! updates and multiplies its own rows, so the bits are those of one thread.
//!
//! `class_weights` weighs each sample's loss by its class, as PyTorch does:
//! `cross_entropy` as `CrossEntropyLoss(weight=w)` with class labels (a mean weighted by the
//! samples' classes, `sum_n w_{c_n} l_n / sum_n w_{c_n}` per batch), `bce` as
//! `BCEWithLogitsLoss(weight=w_0, pos_weight=w_1 / w_0)` (`sum_n w_{c_n} l_n / N`).
//! `balanced` is scikit-learn's `n / (classes * n_c)`, computed by the trainer from its
//! training data. The targets must be class labels (one-hot rows, or 0 and 1). Scores
//! (`evaluate`, validation loss) weigh every class the same.
//!
//! ## Search
//!
//! How `mlp tune` and `mlp_runtime::search::Tuner` tune the spec. The section is not part of
//! the network: a trial's spec is the spec without it, with the trial's values written in.
//!
//! | key | default | range |
//! |---|---|---|
//! | `method` | `coordinate` | `coordinate` (one key at a time, the others fixed, until a round changes nothing), `grid` (every combination), `random` (seeded draws) |
//! | `rounds` | 3 | >= 1; `coordinate` only |
//! | `trials` | required for `random` | 1 to 1,000,000 (`MAX_TRIALS`); `random` only |
//! | `folds` | 5 | >= 2: k-fold cross-validation, stratified for classifiers |
//! | `validation_split` | instead of `folds` | (0, 1): one split, stratified for classifiers |
//! | `metric` | `accuracy` for classification losses, `r2` otherwise | `val_loss`, `accuracy` (classifiers), `r2` (regression) |
//! | `seed` | 0 | the folds (or split) and the random draws |
//! | `space` | required | `key: [values]`, at least one number each; `key: {log_uniform: [low, high]}` (0 < low < high) with `method: random`; a grid of at most 1,000,000 combinations |
//!
//! A key of `space` is a dotted path to a number of the spec's canonical form: any number
//! under `optimizer`, `schedule`, `regularization` and `training` (such as `optimizer.lr`,
//! `optimizer.momentum` for an optimizer that has one, `schedule.gamma`,
//! `regularization.l2`, `training.epochs`, `training.early_stopping.patience`), and
//! `training.clip_grad_norm`; these a compiled network takes at run time. The dynamic engine
//! also searches sizes: `layers.N.units` for a hidden layer `N`, `hidden_layers` (the number
//! of hidden layers, at most 1024: fewer drops the last ones, more repeats the last hidden
//! layer; not with `layers.N.units` in the same search) and `batch_size`; under `#[mlp]` these are errors.
//! Whole-number keys take whole numbers in a list, and a `log_uniform` range's draws
//! rounded. Every value must be one the spec accepts for its
//! key; a refused value is reported at its line and column with the key's own message.
