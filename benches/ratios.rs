//! The comparisons of `benches/engines.rs` with the measurements interleaved: the static and
//! dynamic engines and the plain nalgebra network take turns in short rounds, so that all see
//! the same state of the machine.
//! On a shared machine whose speed drifts by 10% or more over seconds, criterion's
//! one-after-the-other measurements can move a ratio by that much; these cannot. Reports the
//! median over rounds of each ratio and writes them to `target/ratios.json` for
//! `scripts/benchmarks_table.py`. The large networks' training step also takes turns with a
//! 512x512x512 SGEMM, for their fraction of the reachable FLOP rate.

use std::fmt::Write as _;
use std::hint::black_box;

use mlp_runtime::DynNetwork;
use mlp_runtime::prelude::*;

#[path = "common/bound.rs"]
mod bound;
mod common;
#[path = "common/exchange.rs"]
mod exchange;
#[path = "common/turns.rs"]
mod turns;

use common::baseline::Baseline;
use common::{BATCHES, baseline_stepper, batches, session_stepper, single_inputs, stepper};

/// Rounds of each comparison; the median round's ratio is reported.
const ROUNDS: usize = 61;
/// Length of one engine's turn in a round.
const TURN_SECONDS: f64 = 0.01;

/// The JSON records, one line each.
struct Report(String);

impl Report {
    fn add(&mut self, record: &str) {
        println!("{record}");
        let separator = if self.0.is_empty() { "" } else { ",\n" };
        write!(self.0, "{separator}{record}").expect("writing to a String");
    }
}

/// What the run compares: every network, or those whose name contains one of the names given
/// after `--` (`cargo bench --bench ratios -- iris`), which then writes no JSON.
struct Run {
    report: Report,
    filters: Vec<String>,
}

fn compare<N: StaticModel<Float = f32>>(run: &mut Run, name: &str, yaml: &str) {
    if !run.filters.is_empty() && !run.filters.iter().any(|f| name.contains(f.as_str())) {
        return;
    }
    let report = &mut run.report;
    let mut compiled = N::with_seed(1);
    let mut dynamic = DynNetwork::<f32>::from_yaml(yaml).expect("a valid bench spec");
    dynamic.reinitialize(1);
    for count in [1, 32] {
        let data = batches(N::INPUTS, N::OUTPUTS, count);
        let mut baseline = Baseline::new(yaml, dynamic.params(), count);
        let mut compiled_step = stepper(&mut compiled, &data, count);
        let mut dynamic_step = stepper(&mut dynamic, &data, count);
        let mut baseline_step = baseline_stepper(&mut baseline, &data);
        let (relative, typical) = turns::interleave(
            ROUNDS,
            TURN_SECONDS,
            &mut [&mut compiled_step, &mut dynamic_step, &mut baseline_step],
        );
        report.add(&record(
            &format!("train/{name}/batch{count}"),
            count,
            &relative,
            &typical,
        ));
        if count == 32 && N::PARAM_COUNT > 100_000 {
            sgemm_turns(report, name, &mut compiled_step);
        }
    }
    let xs = single_inputs(N::INPUTS, N::OUTPUTS);
    let samples: Vec<N::Input> = xs.iter().map(|x| N::Input::from_slice(x)).collect();
    let (mut next_static, mut next_dynamic, mut next_baseline) = (0, 0, 0);
    let mut workspace = dynamic.workspace();
    let mut out = vec![0.0f32; N::OUTPUTS];
    let mut baseline = Baseline::new(yaml, dynamic.params(), 1);
    let (relative, typical) = turns::interleave(
        ROUNDS,
        TURN_SECONDS,
        &mut [
            &mut || {
                next_static += 1;
                black_box(compiled.predict(black_box(&samples[next_static % BATCHES])));
            },
            &mut || {
                next_dynamic += 1;
                let x = &xs[next_dynamic % BATCHES];
                dynamic.forward_slice(&mut workspace, black_box(x), 1, black_box(&mut out))
            },
            &mut || {
                next_baseline += 1;
                baseline.forward(black_box(&xs[next_baseline % BATCHES]));
                black_box(baseline.outputs()[0]);
            },
        ],
    );
    report.add(&record(
        &format!("infer/{name}/batch1"),
        1,
        &relative,
        &typical,
    ));
    if name == "mnist" {
        predict_turns(report, name, &compiled);
    }
}

/// Samples predicted in one call of the prediction benchmark: MNIST's training set.
const PREDICTED: usize = 60_000;

/// Predicting `PREDICTED` samples through `Predictor` on one thread and on two, in turns
/// with 512x512x512 SGEMMs: samples per second, and the SGEMMs' FLOP/s. A fifth turn is an
/// independent pair: two one-thread predictors, each on its own thread with half the
/// samples, whose speed-up over one thread is the ceiling of the two-thread predictor's at
/// the time of the turns.
fn predict_turns<N: StaticModel<Float = f32> + Sync>(report: &mut Report, name: &str, network: &N) {
    let inputs: Vec<f32> = batches(N::INPUTS, N::OUTPUTS, 1)
        .iter()
        .flat_map(|(x, _)| x.iter().copied())
        .cycle()
        .take(PREDICTED * N::INPUTS)
        .collect();
    let mut outputs = vec![0.0f32; PREDICTED * N::OUTPUTS];
    let mut two_outputs = outputs.clone();
    let mut one = Predictor::new(network);
    let mut two = Predictor::new(network).with_threads(2);
    let mut pair_outputs = outputs.clone();
    let (mut first, mut second) = (Predictor::new(network), Predictor::new(network));
    let half = PREDICTED / 2;
    let (first_inputs, second_inputs) = inputs.split_at(half * N::INPUTS);
    let (a, b, mut out, mut tiled_out) = sgemm_operands();
    let (relative, typical) = turns::interleave(
        ROUNDS,
        TURN_SECONDS,
        &mut [
            &mut || {
                one.predict(black_box(&inputs), &mut outputs)
                    .expect("sizes match");
            },
            &mut || {
                two.predict(black_box(&inputs), &mut two_outputs)
                    .expect("sizes match");
            },
            &mut || out.gemm(1.0, black_box(&a), black_box(&b), 0.0),
            &mut || tiled_sgemm(&a, &b, &mut tiled_out),
            &mut || {
                let (first_out, second_out) = pair_outputs.split_at_mut(half * N::OUTPUTS);
                std::thread::scope(|scope| {
                    scope.spawn(|| {
                        first
                            .predict(black_box(first_inputs), first_out)
                            .expect("sizes match")
                    });
                    second
                        .predict(black_box(second_inputs), second_out)
                        .expect("sizes match");
                });
            },
        ],
    );
    let flops = 2.0 * (SGEMM_N * SGEMM_N * SGEMM_N) as f64;
    report.add(&format!(
        r#"{{"group": "predict/{name}/{PREDICTED}", "one_thread": {}, "two_threads": {}, "speedup": {}, "pair": {}, "pair_speedup": {}, "sgemm_nalgebra": {}, "sgemm_tiled": {}}}"#,
        PREDICTED as f64 / typical[0],
        PREDICTED as f64 / typical[1],
        1.0 / relative[1],
        PREDICTED as f64 / typical[4],
        1.0 / relative[4],
        flops / typical[2],
        flops / typical[3]
    ));
}

/// The breast cancer network of `examples/tune.rs`, compiled.
#[mlp(spec = "specs/breast_cancer_tune.yaml")]
struct BreastCancer;

/// Rounds of the search comparison (a call takes a good part of a second).
const SEARCH_ROUNDS: usize = 11;

/// A 12-trial grid search (4 learning rates x 3 L2 penalties, 20 epochs, 5 folds: 60
/// trainings) of the compiled breast cancer network on its 569 samples, on one thread and
/// on two, in turns: trials per second and the speed-up.
fn search_turns(report: &mut Report) {
    use mlp_runtime::search::Tuner;
    use mlp_runtime::spec::{Axis, AxisValues, Scoring, Search, SearchMethod, SearchMetric};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/breast_cancer.csv"
    );
    let mut data = DynDataset::<f32>::from_csv(path, CsvTarget::Label(30), 30, 1)
        .expect("examples/data/breast_cancer.csv");
    Standardizer::fit_inputs(&data).apply_inputs(&mut data);
    let mut spec = BreastCancer::new().spec();
    let axis = |key: &str, values: &[f64]| Axis {
        key: key.to_owned(),
        values: AxisValues::List(values.to_vec()),
    };
    spec.search = Some(Search {
        method: SearchMethod::Grid,
        scoring: Scoring::KFold { folds: 5 },
        metric: SearchMetric::Accuracy,
        seed: 0,
        space: vec![
            axis("optimizer.lr", &[0.001, 0.01, 0.1, 0.3]),
            axis("regularization.l2", &[0.0, 0.001, 0.01]),
        ],
    });
    let tuner = Tuner::new(&spec).expect("a search").quiet();
    let (one, two) = (tuner.clone().with_threads(1), tuner.with_threads(2));
    let run = |tuner: &Tuner| {
        let results = tuner
            .run_compiled::<BreastCancer>(black_box(&data))
            .expect("searches");
        assert_eq!(results.trials.len(), TRIALS);
        black_box(results);
    };
    let (relative, typical) = turns::interleave(
        SEARCH_ROUNDS,
        // One call per turn.
        0.0,
        &mut [&mut || run(&one), &mut || run(&two)],
    );
    report.add(&format!(
        r#"{{"group": "search/breast_cancer/{TRIALS}", "one_thread": {}, "two_threads": {}, "speedup": {}}}"#,
        TRIALS as f64 / typical[0],
        TRIALS as f64 / typical[1],
        1.0 / relative[1]
    ));
}

/// 784-128-128-10 at batch 32 with adam, without batch norm and with it.
#[mlp(spec = "benches/specs/deep.yaml")]
struct Deep;
#[mlp(spec = "benches/specs/deep_batch_norm.yaml")]
struct DeepNorm;

/// A training step of the compiled 784-128-128-10 network with batch norm after both hidden
/// products and one of the same network without it, in turns: samples per second of each
/// and the share batch norm keeps.
fn batch_norm_turns(report: &mut Report) {
    let (mut plain, mut normalised) = (Deep::with_seed(1), DeepNorm::with_seed(1));
    let data = batches(Deep::INPUTS, Deep::OUTPUTS, 32);
    let mut plain_step = stepper(&mut plain, &data, 32);
    let mut normalised_step = stepper(&mut normalised, &data, 32);
    let (relative, typical) = turns::interleave(
        ROUNDS,
        TURN_SECONDS,
        &mut [&mut plain_step, &mut normalised_step],
    );
    report.add(&format!(
        r#"{{"group": "batch_norm/deep/batch32", "plain": {}, "batch_norm": {}, "share": {}}}"#,
        32.0 / typical[0],
        32.0 / typical[1],
        1.0 / relative[1]
    ));
}

/// 784-128-10, 256-256-256-10 (at batch 64, with sgd and with adam) and 64-32-10 (at batch
/// 32), each with one thread and with `threads: 2`.
#[mlp(spec = "benches/specs/mnist64.yaml")]
struct Mnist64;
#[mlp(spec = "benches/specs/mnist64_threads.yaml")]
struct Mnist64Threads;
#[mlp(spec = "benches/specs/wide64.yaml")]
struct Wide64;
#[mlp(spec = "benches/specs/wide64_threads.yaml")]
struct Wide64Threads;
#[mlp(spec = "benches/specs/mnist64_adam.yaml")]
struct Mnist64Adam;
#[mlp(spec = "benches/specs/mnist64_adam_threads.yaml")]
struct Mnist64AdamThreads;
#[mlp(spec = "benches/specs/wide64_adam.yaml")]
struct Wide64Adam;
#[mlp(spec = "benches/specs/wide64_adam_threads.yaml")]
struct Wide64AdamThreads;
#[mlp(spec = "benches/specs/digits.yaml")]
struct Digits32;
#[mlp(spec = "benches/specs/digits_threads.yaml")]
struct Digits32Threads;

/// How long each of the two threads of an independent pair steps per call: long enough that
/// the call's two hand-overs between the threads (a sleeping thread woken) cost little beside
/// it.
const PAIR_SECONDS: f64 = 0.002;

/// The calls of `step` that take at least `seconds`, one call at least.
fn calls_lasting(seconds: f64, step: &mut dyn FnMut()) -> usize {
    let start = std::time::Instant::now();
    let mut calls = 0;
    while calls == 0 || start.elapsed().as_secs_f64() < seconds {
        step();
        calls += 1;
    }
    calls
}

/// Training steps of a compiled network with one thread (`One`), and of the same network
/// with `threads: 2` (`Two`) on two threads and on one, in turns: samples per second of
/// each, and the speed-up of two threads over the network with one. A fourth turn is an
/// independent pair: two networks `One`, each trained by its own thread with nothing shared
/// but the data, for about [`PAIR_SECONDS`] per call. Its speed-up over one thread is what the
/// machine's two cores give two steps that never wait for each other, at the time of the
/// turns: the ceiling of a split step's. After each round, a cache line's round trip between
/// two threads ([`exchange::with_round_trip`]) says how quickly the cores exchanged the
/// split step's data in it, and the two-thread speed-up is also reported over the rounds of
/// each kind of exchange ([`ByExchange`]).
fn threads_pair<One, Two>(report: &mut Report, name: &str)
where
    One: StaticModel<Float = f32> + Send,
    Two: StaticModel<Float = f32>,
{
    let batch = One::BATCH_SIZE;
    let data = batches(One::INPUTS, One::OUTPUTS, batch);
    let (mut one, mut two, mut two_alone) =
        (One::with_seed(1), Two::with_seed(1), Two::with_seed(1));
    let (mut pair_own, mut pair_other) = (One::with_seed(2), One::with_seed(3));
    let mut one_step = stepper(&mut one, &data, batch);
    let mut two_step = stepper(&mut two, &data, batch);
    let config = TrainConfig::from_spec(&two_alone.spec()).with_threads(1);
    let mut alone = Trainer::with_config(&two_alone, config);
    let mut next = 0;
    let mut two_alone_step = || {
        let (x, y) = &data[next % data.len()];
        next += 1;
        black_box(
            alone
                .step(&mut two_alone, black_box(x), black_box(y), batch)
                .expect("finite"),
        );
    };
    // The other thread of the pair sleeps in `recv` between calls, so that it takes nothing
    // from the other turns, and ends when `start` is dropped, also by a panic here.
    let pair_steps = calls_lasting(PAIR_SECONDS, &mut one_step);
    let mut round_trips = Vec::new();
    let times = std::thread::scope(|scope| {
        let (start, started) = std::sync::mpsc::channel::<()>();
        let (finish, finished) = std::sync::mpsc::channel::<()>();
        let (other, data) = (&mut pair_other, &data);
        scope.spawn(move || {
            let mut step = stepper(other, data, batch);
            while started.recv().is_ok() {
                for _ in 0..pair_steps {
                    step();
                }
                if finish.send(()).is_err() {
                    return;
                }
            }
        });
        let mut own_step = stepper(&mut pair_own, data, batch);
        let mut pair_step = || {
            start.send(()).expect("the pair's other thread waits");
            for _ in 0..pair_steps {
                own_step();
            }
            finished.recv().expect("the pair's other thread steps");
        };
        exchange::with_round_trip(|round_trip| {
            turns::in_rounds(
                ROUNDS,
                TURN_SECONDS,
                &mut [
                    &mut one_step,
                    &mut two_step,
                    &mut two_alone_step,
                    &mut pair_step,
                ],
                &mut || round_trips.push(round_trip()),
            )
        })
    });
    let (relative, typical) = turns::medians(&times);
    let by_exchange = ByExchange::of(&times, &round_trips);
    let rate = |k: usize| batch as f64 / typical[k];
    let pair_steps = 2.0 * pair_steps as f64;
    report.add(&format!(
        r#"{{"group": "threads/{name}/batch{batch}", "shards": {}, "split": "{}", "one": {}, "two": {}, "split_on_one": {}, "speedup": {}, "pair": {}, "pair_speedup": {}, {}}}"#,
        Two::shards_of(),
        Two::split_of(),
        rate(0),
        rate(1),
        rate(2),
        1.0 / relative[1],
        pair_steps * rate(3),
        pair_steps / relative[3],
        by_exchange.fields()
    ));
}

/// A cross-core round trip under which a round counts as one of quick exchanges: on the
/// machine these benchmarks were tuned on (two vCPUs of an AMD EPYC), round trips were
/// 40-90 ns while the host kept the vCPUs on cores that share a cache, and 330-440 ns
/// while it kept them apart.
const QUICK_EXCHANGE_NS: f64 = 200.0;

/// A round trip under which a round counts as one on a single core: the same host at times
/// puts both vCPUs on the two hardware threads of one core (for a minute at a time in issue
/// 16's fortieth session), where round trips took 30-36 ns (the line never left the core)
/// and an independent pair of one-thread steps ran 1.03-1.04x as fast as one, with the
/// core's multiply-add units shared. Such a round says nothing about two cores.
const ONE_CORE_NS: f64 = 45.0;

/// The two-thread step's speed-up in the rounds of each kind of exchange between the two
/// threads ([`ONE_CORE_NS`], [`QUICK_EXCHANGE_NS`]), with the rounds' round trips.
struct ByExchange {
    round_trip: f64,
    one_core: Vec<f64>,
    quick: Vec<f64>,
    slow: Vec<f64>,
}

impl ByExchange {
    /// From the turns' times in each round (the one-thread network's first, the two-thread
    /// step's second) and each round's round trip.
    fn of(times: &[Vec<f64>], round_trips: &[f64]) -> Self {
        let (mut one_core, mut quick, mut slow) = (Vec::new(), Vec::new(), Vec::new());
        for (round, &round_trip) in round_trips.iter().enumerate() {
            let speedup = times[0][round] / times[1][round];
            let kind = match round_trip {
                t if t < ONE_CORE_NS => &mut one_core,
                t if t < QUICK_EXCHANGE_NS => &mut quick,
                _ => &mut slow,
            };
            kind.push(speedup);
        }
        ByExchange {
            round_trip: turns::median(round_trips.to_vec()),
            one_core,
            quick,
            slow,
        }
    }

    /// The JSON fields: the median round trip, and each kind of round's count and median
    /// speed-up (`null` for none), and those of all the rounds on two cores.
    fn fields(&self) -> String {
        let kind = |name: &str, speedups: &[f64]| {
            let median = if speedups.is_empty() {
                "null".to_string()
            } else {
                turns::median(speedups.to_vec()).to_string()
            };
            format!(
                r#""{name}_rounds": {}, "{name}_speedup": {median}"#,
                speedups.len()
            )
        };
        let two_cores = [&self.quick[..], &self.slow[..]].concat();
        format!(
            r#""round_trip_ns": {}, {}, {}, {}, {}"#,
            self.round_trip,
            kind("one_core", &self.one_core),
            kind("quick", &self.quick),
            kind("slow", &self.slow),
            kind("two_cores", &two_cores)
        )
    }
}

/// The shard count of a compiled network's steps, and how they split.
trait ShardsOf {
    fn shards_of() -> usize;
    fn split_of() -> &'static str;
}

impl<N: StaticModel> ShardsOf for N {
    fn shards_of() -> usize {
        N::with_seed(0).shards().count
    }

    fn split_of() -> &'static str {
        let spec = N::with_seed(0).spec();
        match (spec.splits_units(), spec.shards().split()) {
            (true, _) => "units",
            (false, true) => "shards",
            (false, false) => "none",
        }
    }
}

/// Data-parallel training: each network's step with one thread and with two.
fn threads_turns(report: &mut Report) {
    threads_pair::<Mnist64, Mnist64Threads>(report, "784-128-10/sgd");
    threads_pair::<Mnist64Adam, Mnist64AdamThreads>(report, "784-128-10/adam");
    threads_pair::<Wide64, Wide64Threads>(report, "256-256-256-10/sgd");
    threads_pair::<Wide64Adam, Wide64AdamThreads>(report, "256-256-256-10/adam");
    threads_pair::<Digits32, Digits32Threads>(report, "64-32-10/sgd");
}

/// 784-128-10 with sgd, for the bound of one-sample training.
#[mlp(spec = "benches/specs/mnist.yaml")]
struct Mnist;

/// The compiled 784-128-10's one-sample training step (alone, and in an on-line session on one
/// thread and on two) and inference (its own `predict`, and a `Predictor` on two threads) in
/// turns with the loops of `common/bound.rs` over its first layer's weight: samples (passes)
/// per second of each.
fn bound_turns(report: &mut Report) {
    let mut network = Mnist::with_seed(1);
    let data = batches(Mnist::INPUTS, Mnist::OUTPUTS, 1);
    let inputs: Vec<_> = data
        .iter()
        .map(|(x, _)| <Mnist as StaticModel>::Input::from_slice(x))
        .collect();
    let predictor = Mnist::with_seed(1);
    let mut next = 0;
    let mut infer = || {
        next += 1;
        black_box(predictor.predict(black_box(&inputs[next % inputs.len()])));
    };
    // The same predictions by a `Predictor` on two threads, which share out the first
    // layer's product.
    let mut two_predictor = Predictor::new(&predictor).with_threads(2);
    let infer_two_threads = two_predictor.one_sample_threads();
    let mut two_out = [0.0f32; Mnist::OUTPUTS];
    let mut next_two = 0;
    let mut infer_two = || {
        next_two += 1;
        let x = inputs[next_two % inputs.len()].as_slice();
        two_predictor.predict(black_box(x), &mut two_out).unwrap();
        black_box(&two_out);
    };
    let mut train = stepper(&mut network, &data, 1);
    // The same steps in an on-line session, which holds the first layer's update back to the
    // next sample's forward pass.
    let mut online_network = Mnist::with_seed(1);
    let mut online_trainer = Trainer::new(&online_network);
    let mut online = session_stepper(&mut online_trainer, &mut online_network, &data);
    // And in a session whose trainer has two threads, which share out that walk over the
    // weight.
    let mut two_network = Mnist::with_seed(1);
    let two_threads = TrainConfig {
        threads: 2,
        ..TrainConfig::from_spec(&two_network.spec())
    };
    let mut two_trainer = Trainer::with_config(&two_network, two_threads);
    let two_threads = two_trainer.online_threads();
    let mut online_two = session_stepper(&mut two_trainer, &mut two_network, &data);
    let mut stream = bound::Stream::default();
    let mut stream_again = bound::Stream::default();
    let mut stream_fused = bound::Stream::default();
    let (_, typical) = turns::interleave(
        ROUNDS,
        TURN_SECONDS,
        &mut [
            &mut train,
            &mut infer,
            &mut || stream.read(),
            &mut || stream_again.update(),
            &mut || stream_fused.fused(),
            &mut online,
            &mut online_two,
            &mut infer_two,
        ],
    );
    report.add(&format!(
        r#"{{"group": "bound/784-128-10/batch1", "train": {}, "infer": {}, "read": {}, "update": {}, "fused": {}, "online": {}, "online_two": {}, "online_two_threads": {two_threads}, "infer_two": {}, "infer_two_threads": {infer_two_threads}}}"#,
        1.0 / typical[0],
        1.0 / typical[1],
        1.0 / typical[2],
        1.0 / typical[3],
        1.0 / typical[4],
        1.0 / typical[5],
        1.0 / typical[6],
        1.0 / typical[7]
    ));
}

/// A controller's on-line loop, in which each sample's target comes after its prediction, two
/// ways in turns on the compiled network `N`: the network's prediction and then the
/// session's step (`Online::network` and `predict`, then `Online::step`), and the session's
/// `predict` then `learn`, whose step reuses the prediction's forward pass. Samples per second
/// of each, and the speed-up.
fn predict_learn_turns<N: StaticModel<Float = f32>>(report: &mut Report, name: &str) {
    let data = batches(N::INPUTS, N::OUTPUTS, 1);
    let inputs: Vec<N::Input> = data.iter().map(|(x, _)| N::Input::from_slice(x)).collect();
    let (mut stepped, mut learnt) = (N::with_seed(1), N::with_seed(1));
    let (mut step_trainer, mut learn_trainer) = (Trainer::new(&stepped), Trainer::new(&learnt));
    let mut stepping = step_trainer.online(&mut stepped);
    let mut learning = learn_trainer.online(&mut learnt);
    let (mut next_step, mut next_learn) = (0, 0);
    let (relative, typical) = turns::interleave(
        ROUNDS,
        TURN_SECONDS,
        &mut [
            &mut || {
                let k = next_step % BATCHES;
                next_step += 1;
                black_box(stepping.network().predict(black_box(&inputs[k])));
                let (x, y) = &data[k];
                black_box(stepping.step(black_box(x), black_box(y)).expect("finite"));
            },
            &mut || {
                let k = next_learn % BATCHES;
                next_learn += 1;
                let (x, y) = &data[k];
                black_box(learning.predict(black_box(x)).expect("one sample")[0]);
                black_box(learning.learn(black_box(y)).expect("finite"));
            },
        ],
    );
    report.add(&format!(
        r#"{{"group": "predict_learn/{name}/batch1", "predict_then_step": {}, "predict_then_learn": {}, "speedup": {}}}"#,
        1.0 / typical[0],
        1.0 / typical[1],
        1.0 / relative[1]
    ));
}

/// The parameters of 784-128-10, for the optimizer's update alone.
const MNIST_PARAMS: usize = 784 * 128 + 128 + 128 * 10 + 10;

/// Adam's update of 784-128-10's parameters in turns: with the gradients of a network that
/// learns, and with subnormal ones, a saturated network's vanishing gradients (whose moments
/// would decay through the subnormal range and stay there): updates per second of each.
fn subnormal_turns(report: &mut Report) {
    use mlp_runtime::spec::{Optimizer as OptimizerSpec, ParamRole, ParamSegment, Regularization};
    let spec = OptimizerSpec::Adam {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
    };
    let none = Regularization {
        l2: 0.0,
        l1: 0.0,
        bias: false,
    };
    let layout = [ParamSegment {
        layer: 0,
        role: ParamRole::Weight,
        offset: 0,
        rows: MNIST_PARAMS,
        cols: 1,
        lr_scale: 1.0,
    }];
    let learning: Vec<f32> = (0..MNIST_PARAMS)
        .map(|k| ((k % 17) as f32 - 8.0) * 1e-3)
        .collect();
    let subnormal: Vec<f32> = (0..MNIST_PARAMS)
        .map(|k| ((k % 17) as f32 - 8.0) * f32::MIN_POSITIVE / 64.0)
        .collect();
    let mut updaters = [&learning, &subnormal].map(|grads| {
        let mut optimizer = mlp_runtime::Optimizer::<f32>::new(spec, &none, MNIST_PARAMS);
        let mut params = vec![0.5f32; MNIST_PARAMS];
        move || optimizer.step(&mut params, black_box(grads), &layout, 1e-3)
    });
    let [learns, saturated] = &mut updaters;
    let (relative, typical) = turns::interleave(ROUNDS, TURN_SECONDS, &mut [learns, saturated]);
    report.add(&format!(
        r#"{{"group": "optim/adam/{MNIST_PARAMS}", "normal": {}, "subnormal": {}, "ratio": {}}}"#,
        1.0 / typical[0],
        1.0 / typical[1],
        1.0 / relative[1]
    ));
}

/// Trials of the search benchmark.
const TRIALS: usize = 12;

/// A JSON record of samples per second (`count` per call) of the static engine, the dynamic
/// engine and the baseline, and the median ratios of their times to the static engine's.
fn record(group: &str, count: usize, relative: &[f64], typical: &[f64]) -> String {
    let rate = |k: usize| count as f64 / typical[k];
    format!(
        r#"{{"group": "{group}", "static": {}, "dynamic": {}, "baseline": {}, "ratio": {}, "baseline_ratio": {}}}"#,
        rate(0),
        rate(1),
        rate(2),
        relative[1],
        relative[2]
    )
}

/// A large network's training step at batch 32 in turns with 512x512x512 SGEMMs (nalgebra's
/// product and the tiled kernel): samples per second and FLOP/s, medians over the rounds.
fn sgemm_turns(report: &mut Report, name: &str, step: &mut dyn FnMut()) {
    let (a, b, mut out, mut tiled_out) = sgemm_operands();
    let (_, typical) = turns::interleave(
        ROUNDS,
        TURN_SECONDS,
        &mut [
            step,
            &mut || out.gemm(1.0, black_box(&a), black_box(&b), 0.0),
            &mut || tiled_sgemm(&a, &b, &mut tiled_out),
        ],
    );
    let flops = 2.0 * (SGEMM_N * SGEMM_N * SGEMM_N) as f64;
    report.add(&format!(
        r#"{{"group": "flops/{name}/batch32", "samples": {}, "sgemm_nalgebra": {}, "sgemm_tiled": {}}}"#,
        32.0 / typical[0],
        flops / typical[1],
        flops / typical[2]
    ));
}

/// The size of the reference SGEMM's square matrices.
const SGEMM_N: usize = 512;

type Matrix = mlp_runtime::nalgebra::DMatrix<f32>;

/// The reference SGEMM's operands `a`, `b` and two outputs.
fn sgemm_operands() -> (Matrix, Matrix, Matrix, Matrix) {
    let n = SGEMM_N;
    let a = Matrix::from_fn(n, n, |i, j| ((i + j) % 7) as f32);
    let b = Matrix::from_fn(n, n, |i, j| ((i * j) % 5) as f32);
    (a, b, Matrix::zeros(n, n), Matrix::zeros(n, n))
}

/// The reference SGEMM with this crate's tiled kernel.
fn tiled_sgemm(a: &Matrix, b: &Matrix, out: &mut Matrix) {
    let n = SGEMM_N;
    mlp_runtime::kernels::gemm_nn(
        n,
        n,
        n,
        black_box(a.as_slice()),
        black_box(b.as_slice()),
        out.as_mut_slice(),
        false,
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing and should
    // not spend minutes here.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let filters = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let mut run = Run {
        report: Report(String::new()),
        filters,
    };
    for_each_network!(compare, &mut run);
    if run.filters.is_empty() || run.filters.iter().any(|f| "search".contains(f.as_str())) {
        search_turns(&mut run.report);
    }
    if run.filters.is_empty()
        || run
            .filters
            .iter()
            .any(|f| "batch_norm".contains(f.as_str()))
    {
        batch_norm_turns(&mut run.report);
    }
    if run.filters.is_empty() || run.filters.iter().any(|f| "threads".contains(f.as_str())) {
        threads_turns(&mut run.report);
    }
    if run.filters.is_empty() || run.filters.iter().any(|f| "bound".contains(f.as_str())) {
        bound_turns(&mut run.report);
    }
    if run.filters.is_empty() || run.filters.iter().any(|f| "learn".contains(f.as_str())) {
        predict_learn_turns::<Mnist>(&mut run.report, "784-128-10");
        predict_learn_turns::<Digits32>(&mut run.report, "64-32-10");
    }
    if run.filters.is_empty() || run.filters.iter().any(|f| "optim".contains(f.as_str())) {
        subnormal_turns(&mut run.report);
    }
    if run.filters.is_empty() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/target/ratios.json");
        let json = format!("[\n{}\n]\n", run.report.0);
        std::fs::write(path, json).expect("writing target/ratios.json");
    }
}
