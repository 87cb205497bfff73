//! A training step split across threads (into shards or by units) allocates nothing, on any
//! thread: counted with a global allocator that counts every thread's allocations (the counter
//! of `tests/alloc.rs` counts only the calling thread's, and the shards run on the trainer's
//! workers). Its own test binary, since it replaces the global allocator, and without the
//! test harness (`harness = false`): the harness's threads allocate as they report a test
//! done, which the counter saw, in one run of seven, in the counted steps of the test that
//! ran next. Its `main` runs the checks one after another on one thread.

// A counting global allocator is an `unsafe impl` by its nature; it only forwards to the
// system's allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use mlp_runtime::DynNetwork;
use mlp_runtime::prelude::*;

/// Counts allocations (and reallocations) of every thread.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments, so `System`'s
// guarantees are the allocator's.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: the caller's contract for `alloc`, passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` (through `alloc` or `realloc` above).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: the caller's contract for `realloc`, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[mlp(spec = "tests/specs/threads-mnist.yaml")]
struct ThreadsMnist;
#[mlp(spec = "tests/specs/threads-mnist-sgd.yaml")]
struct ThreadsMnistSgd;
#[mlp(spec = "tests/specs/threads-mnist-shards.yaml")]
struct ThreadsMnistShards;

/// Allocations of all threads while `f` runs.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    f();
    ALLOCATIONS.load(Ordering::SeqCst) - before
}

fn assert_split_steps_do_not_allocate<M: Model>(mut network: M, config: TrainConfig) {
    let diagnostics = config.diagnostics;
    let mut trainer = Trainer::with_config(&network, config);
    assert_eq!(trainer.threads(), 2, "the spec splits in two");
    let (batch, input, output) = (
        network.batch_size(),
        network.input_size(),
        network.output_size(),
    );
    let inputs: Vec<M::Float> = (0..input * batch)
        .map(|i| M::Float::cast((i % 7) as f64 / 7.0))
        .collect();
    let targets: Vec<M::Float> = (0..output * batch)
        .map(|i| M::Float::cast(if i % output == 0 { 1.0 } else { 0.0 }))
        .collect();
    // Warm up: the first step is where lazily initialised state would allocate.
    trainer
        .step(&mut network, &inputs, &targets, batch)
        .unwrap();
    for count in [1, batch / 2 + 1, batch] {
        let counted = allocations(|| {
            for _ in 0..20 {
                trainer
                    .step(&mut network, &inputs, &targets, count)
                    .unwrap();
            }
        });
        assert_eq!(
            counted,
            0,
            "{} (diagnostics {diagnostics}): 20 steps of {count} samples on 2 threads",
            std::any::type_name::<M>()
        );
    }
    // The counter sees other threads: a thread that allocates is counted.
    let counted = allocations(|| {
        std::thread::scope(|scope| {
            scope.spawn(|| drop(std::hint::black_box(vec![1u8; 64])));
        });
    });
    assert!(counted > 0);
}

fn main() {
    threaded_training_steps_do_not_allocate();
    a_session_on_threads_does_not_allocate();
    a_prediction_on_threads_does_not_allocate();
    println!(
        "alloc_threads: split steps, sessions and one-sample predictions on threads allocate nothing"
    );
}

fn threaded_training_steps_do_not_allocate() {
    // Adam and plain SGD on wide hidden layers split by units (SGD fused into the backward
    // pass, Adam's update by each part); a narrow hidden layer splits the batch into shards.
    assert!(ThreadsMnist::new().spec().splits_units());
    assert!(ThreadsMnistSgd::new().spec().splits_units());
    assert!(!ThreadsMnistShards::new().spec().splits_units());
    for diagnostics in [false, true] {
        both_engines(
            ThreadsMnist::new(),
            include_str!("specs/threads-mnist.yaml"),
            diagnostics,
        );
        both_engines(
            ThreadsMnistSgd::new(),
            include_str!("specs/threads-mnist-sgd.yaml"),
            diagnostics,
        );
        both_engines(
            ThreadsMnistShards::new(),
            include_str!("specs/threads-mnist-shards.yaml"),
            diagnostics,
        );
    }
}

#[mlp(spec = "tests/specs/online-wide.yaml")]
struct OnlineWide;

/// An on-line session whose walk over the first weight is shared out to two threads allocates
/// nothing on any thread: its steps, its predictions and the steps
/// learnt from them, in both engines, and in a spec whose batches split by units.
fn a_session_on_threads_does_not_allocate() {
    let yaml = include_str!("specs/online-wide.yaml");
    let config = TrainConfig {
        threads: 2,
        ..TrainConfig::from_spec(&OnlineWide::new().spec())
    };
    session_does_not_allocate(OnlineWide::new(), config.clone());
    session_does_not_allocate(DynNetwork::<f32>::from_yaml(yaml).unwrap(), config);
    let split = ThreadsMnistSgd::new();
    let config = TrainConfig::from_spec(&split.spec());
    session_does_not_allocate(split, config);
}

fn session_does_not_allocate<M: Model<Float = f32>>(mut network: M, config: TrainConfig) {
    let mut trainer = Trainer::with_config(&network, config);
    assert_eq!(trainer.online_threads(), 2);
    let input: Vec<f32> = (0..network.input_size())
        .map(|i| (i % 7) as f32 / 7.0)
        .collect();
    let mut target = vec![0.0f32; network.output_size()];
    target[3] = 1.0;
    let mut session = trainer.online(&mut network);
    // Warm up: the first step holds nothing back yet, so only the second walks on threads.
    for _ in 0..2 {
        session.step(&input, &target).unwrap();
    }
    let counted = allocations(|| {
        for _ in 0..20 {
            session.step(&input, &target).unwrap();
            session.predict(&input).unwrap();
            session.learn(&target).unwrap();
        }
    });
    assert_eq!(
        counted,
        0,
        "{}: an on-line session on threads",
        std::any::type_name::<M>()
    );
}

/// A one-sample prediction whose first product is shared out to two threads allocates nothing
/// on any thread, in both engines.
fn a_prediction_on_threads_does_not_allocate() {
    let yaml = include_str!("specs/threads-mnist.yaml");
    prediction_does_not_allocate(&ThreadsMnist::new());
    prediction_does_not_allocate(&DynNetwork::<f32>::from_yaml(yaml).unwrap());
}

fn prediction_does_not_allocate<M: Model<Float = f32>>(network: &M) {
    let mut predictor = Predictor::new(network).with_threads(2);
    assert_eq!(predictor.one_sample_threads(), 2);
    let input: Vec<f32> = (0..network.input_size())
        .map(|i| (i % 7) as f32 / 7.0)
        .collect();
    let mut output = vec![0.0f32; network.output_size()];
    let mut class = [0usize];
    predictor.predict(&input, &mut output).unwrap();
    let counted = allocations(|| {
        for _ in 0..20 {
            predictor.predict(&input, &mut output).unwrap();
            predictor.predict_class(&input, &mut class).unwrap();
        }
    });
    assert_eq!(
        counted,
        0,
        "{}: a one-sample prediction on threads",
        std::any::type_name::<M>()
    );
}

/// [`assert_split_steps_do_not_allocate`] for a compiled network and the dynamic one of its
/// spec, `yaml`, with diagnostics on or off.
fn both_engines<M: Model>(compiled: M, yaml: &str, diagnostics: bool) {
    let config = TrainConfig {
        diagnostics,
        ..TrainConfig::from_spec(&compiled.spec())
    };
    let dynamic = DynNetwork::<f32>::from_yaml(yaml).unwrap();
    assert_split_steps_do_not_allocate(dynamic, config.clone());
    assert_split_steps_do_not_allocate(compiled, config);
}
