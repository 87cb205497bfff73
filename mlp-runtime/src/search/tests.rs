use mlp_spec::{Axis, AxisValues};

use super::methods::{coordinate, grid, random};
use super::*;

#[test]
fn coordinate_search_reaches_the_optimum_of_a_separable_objective_and_stops_after_a_quiet_round() {
    // f(x, y, z) = -(x - 3)^2 - (y + 1)^2 - |z - 0.5|, optimum (3, -1, 0.5).
    let lists = vec![
        vec![0.0, 1.0, 2.0, 3.0, 4.0],
        vec![-2.0, -1.0, 0.0, 1.0],
        vec![0.0, 0.5, 1.0],
    ];
    let mut visited: Vec<Vec<f64>> = Vec::new();
    let mut score = |points: &[Vec<f64>]| {
        visited.extend_from_slice(points);
        let scores = points
            .iter()
            .map(|p| -(p[0] - 3.0).powi(2) - (p[1] + 1.0).powi(2) - (p[2] - 0.5).abs());
        Some(scores.collect())
    };
    let rounds = coordinate(&lists, vec![0.0, 1.0, 1.0], 10, &mut score);
    // Round 1 moves every key to its optimum; round 2 changes nothing and ends the search.
    assert_eq!(rounds, 2);
    let best = visited
        .iter()
        .max_by(|a, b| {
            let f =
                |p: &Vec<f64>| -(p[0] - 3.0).powi(2) - (p[1] + 1.0).powi(2) - (p[2] - 0.5).abs();
            f(a).total_cmp(&f(b))
        })
        .unwrap();
    assert_eq!(best, &[3.0, -1.0, 0.5]);
    // No point is scored twice.
    for (i, p) in visited.iter().enumerate() {
        assert!(!visited[..i].contains(p), "{p:?} scored twice");
    }
    // Round 1: 5 + 4 + 3 candidates, less the current point each time after the first key.
    assert_eq!(visited.len(), 5 + 3 + 2 + 4 + 3);
}

#[test]
fn coordinate_search_stops_at_the_round_limit() {
    // Each key's best value depends on the other's, so every round changes something.
    let lists = vec![vec![0.0, 1.0, 2.0, 3.0], vec![0.0, 1.0, 2.0, 3.0]];
    let mut score = |points: &[Vec<f64>]| {
        let scores = points.iter().map(|p| -(p[0] - p[1] - 0.9).powi(2) + p[0]);
        Some(scores.collect())
    };
    assert_eq!(coordinate(&lists, vec![0.0, 0.0], 2, &mut score), 2);
}

#[test]
fn coordinate_search_ends_where_the_scoring_says_stop() {
    let lists = vec![vec![0.0, 1.0, 2.0], vec![0.0, 1.0, 2.0]];
    let mut batches = 0;
    let mut score = |points: &[Vec<f64>]| {
        batches += 1;
        (batches < 2).then(|| points.iter().map(|p| p[0] + p[1]).collect())
    };
    assert_eq!(coordinate(&lists, vec![0.0, 0.0], 10, &mut score), 1);
    assert_eq!(batches, 2, "nothing is scored after the batch that stopped");
}

#[test]
fn the_grid_visits_every_combination_exactly_once() {
    let lists = vec![vec![1.0, 2.0, 3.0], vec![10.0, 20.0], vec![0.5, 0.25]];
    let points = grid(&lists);
    assert_eq!(points.len(), 3 * 2 * 2);
    for a in &lists[0] {
        for b in &lists[1] {
            for c in &lists[2] {
                let n = points.iter().filter(|p| **p == [*a, *b, *c]).count();
                assert_eq!(n, 1, "{a} {b} {c}");
            }
        }
    }
    assert_eq!(points[0], [1.0, 10.0, 0.5]);
    assert_eq!(points[1], [1.0, 10.0, 0.25]);
}

#[test]
fn random_draws_depend_only_on_the_seed_and_stay_in_range() {
    let axes = vec![
        Axis {
            key: "optimizer.lr".into(),
            values: AxisValues::LogUniform {
                low: 1e-4,
                high: 1e-1,
            },
        },
        Axis {
            key: "training.epochs".into(),
            values: AxisValues::List(vec![10.0, 20.0]),
        },
    ];
    let draws = random(&axes, 200, 5);
    assert_eq!(draws, random(&axes, 200, 5));
    assert_ne!(draws, random(&axes, 200, 6));
    assert!(draws.iter().all(|p| (1e-4..1e-1).contains(&p[0])));
    assert!(draws.iter().all(|p| p[1] == 10.0 || p[1] == 20.0));
    // Log-uniform: about a third of the draws in each decade.
    let low_decade = draws.iter().filter(|p| p[0] < 1e-3).count();
    assert!((40..95).contains(&low_decade), "{low_decade}");
}

fn iris() -> DynDataset<f32> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/data/iris.csv");
    let data = DynDataset::from_csv(path, crate::CsvTarget::Label(4), 4, 3).unwrap();
    let mut data = data;
    Standardizer::fit_inputs(&data).apply_inputs(&mut data);
    data
}

const IRIS: &str = "input: 4\nlayers:\n  - {units: 8, activation: relu}\n  - {units: 3, activation: softmax}\n\
                    loss: cross_entropy\noptimizer: {kind: adam, lr: 0.01}\nbatch_size: 16\n\
                    training: {epochs: 15}\n";

#[test]
fn results_are_bit_identical_for_any_number_of_threads() {
    let spec = mlp_spec::parse(&format!(
        "{IRIS}search:\n  method: grid\n  folds: 3\n  space:\n    optimizer.lr: [0.003, 0.03]\n    \
         layers.0.units: [4, 8]\n"
    ))
    .unwrap();
    let data = iris();
    let tuner = Tuner::new(&spec).unwrap().quiet();
    let one = tuner.clone().with_threads(1).run_dyn(&data).unwrap();
    let two = tuner.clone().with_threads(2).run_dyn(&data).unwrap();
    let three = tuner.with_threads(3).run_dyn(&data).unwrap();
    assert_eq!(one.trials.len(), 4);
    for other in [&two, &three] {
        for (a, b) in one.trials.iter().zip(&other.trials) {
            assert_eq!(a.values, b.values);
            let bits = |t: &Trial| t.scores.iter().map(|s| s.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(a), bits(b));
        }
    }
    // Scores are real held-out accuracies, not placeholders.
    let best = one.best().unwrap();
    assert!(best.mean > 0.8, "{}", best.mean);
    assert!(best.scores.iter().all(|s| (0.0..=1.0).contains(s)));
}

#[test]
fn a_failing_trial_is_recorded_and_the_search_goes_on() {
    // A learning rate this large makes training diverge.
    let spec = mlp_spec::parse(&format!(
        "{IRIS}search:\n  method: grid\n  folds: 2\n  space:\n    optimizer.lr: [0.01, 1.0e30]\n"
    ))
    .unwrap();
    let results = Tuner::new(&spec).unwrap().quiet().run_dyn(&iris()).unwrap();
    assert_eq!(results.trials.len(), 2);
    let failed = &results.trials[1];
    assert!(failed.mean.is_nan());
    assert!(
        failed
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("diverged"),
        "{failed:?}"
    );
    assert_eq!(results.best().unwrap().values, [0.01]);
    assert_eq!(results.ranked()[1].values, [1.0e30]);
}

#[test]
fn errors_name_what_to_fix() {
    let plain = mlp_spec::parse(IRIS).unwrap();
    assert!(matches!(Tuner::new(&plain), Err(SearchError::NoSearch)));
    let spec = mlp_spec::parse(&format!(
        "{IRIS}search: {{folds: 4, space: {{optimizer.lr: [0.01]}}}}\n"
    ))
    .unwrap();
    let tiny = iris().subset(&[0, 1, 2]);
    let error = Tuner::new(&spec)
        .unwrap()
        .quiet()
        .run_dyn(&tiny)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "4-fold cross-validation needs at least 4 samples, the data has 3: lower `search.folds`"
    );
}

#[test]
fn a_search_whose_largest_network_cannot_get_its_memory_is_refused_before_any_trial() {
    // Eight hidden layers of 2^20 units, trained with Adam in f64: seven 2^40-weight
    // products of 32 bytes a weight (the parameter, its gradient and two moments), more than
    // a 64-bit process can address.
    let spec = |largest: usize| {
        let space: String = (0..8)
            .map(|layer| format!("    layers.{layer}.units: [8, {largest}]\n"))
            .collect();
        mlp_spec::parse(&format!(
            "input: 4\nprecision: f64\noptimizer: {{kind: adam, lr: 0.001}}\nlayers:\n{}  \
             - {{units: 3, activation: softmax}}\nloss: cross_entropy\n\
             search:\n  method: random\n  trials: 2\n  space:\n{space}",
            "  - {units: 8, activation: relu}\n".repeat(8)
        ))
        .unwrap()
    };
    assert!(Tuner::new(&spec(64)).is_ok());
    let error = Tuner::new(&spec(1 << 20)).unwrap_err();
    let sizes: Vec<String> = (0..8)
        .map(|layer| format!("`layers.{layer}.units` 1048576"))
        .collect();
    assert_eq!(
        error.to_string(),
        format!(
            "training the search's largest network ({}) needs 246297550391648 bytes (about \
             246.3 TB: its parameters, their gradient, the optimizer's state and a batch's \
             activations, as `mlp check` lists them), more than can be allocated here; lower \
             the largest values the search gives those keys",
            sizes.join(", ")
        )
    );
}

#[test]
fn a_search_changed_in_code_obeys_the_spec_files_rules() {
    let mut spec = mlp_spec::parse(&format!(
        "{IRIS}search: {{folds: 4, space: {{optimizer.lr: [0.01]}}}}\n"
    ))
    .unwrap();
    let search = spec.search.as_mut().unwrap();
    // Each of these made the search panic, or score nothing, before the tuner checked them.
    search.scoring = mlp_spec::Scoring::ValidationSplit { fraction: 1.5 };
    search.method = mlp_spec::SearchMethod::Random { trials: 0 };
    let error = Tuner::new(&spec).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the searched spec breaks the spec's rules: search.trials: `trials` must be at least 1, \
         found 0\nsearch.validation_split: `validation_split` must be a finite number in (0, 1), \
         found `1.5`"
    );
}

#[test]
fn a_search_scored_on_one_validation_split_shows_no_spread() {
    let spec = mlp_spec::parse(&format!(
        "{IRIS}search:\n  method: grid\n  validation_split: 0.25\n  space:\n    \
         regularization.l2: [0.0, 0.5]\n"
    ))
    .unwrap();
    let results = Tuner::new(&spec).unwrap().quiet().run_dyn(&iris()).unwrap();
    let best = results.best().unwrap();
    let yaml = results.best_spec_yaml().unwrap();
    let mut lines = yaml.lines();
    assert_eq!(
        lines.next(),
        Some("# Tuned by a grid search (2 trials), scored by a 0.25 validation split:")
    );
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "# accuracy {:.4} on the validation split with regularization.l2 = {}.",
                best.mean, best.values[0]
            )
            .as_str()
        )
    );
}

#[test]
fn the_best_spec_has_the_chosen_values_a_score_comment_and_no_search() {
    let spec = mlp_spec::parse(&format!(
        "{IRIS}search:\n  folds: 3\n  space:\n    regularization.l2: [0.0, 0.5]\n"
    ))
    .unwrap();
    let results = Tuner::new(&spec).unwrap().quiet().run_dyn(&iris()).unwrap();
    let best = results.best().unwrap().clone();
    let yaml = results.best_spec_yaml().unwrap();
    assert!(
        yaml.starts_with("# Tuned by a coordinate search ("),
        "{yaml}"
    );
    let written = mlp_spec::parse(&yaml).unwrap();
    assert_eq!(written.search, None);
    assert_eq!(written.regularization.l2, best.values[0]);
    let csv = results.to_csv();
    assert!(
        csv.starts_with("regularization.l2,mean_accuracy,std_accuracy,fold0_accuracy,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + results.trials.len());
}

#[test]
fn a_stopped_search_keeps_the_trials_that_finished_with_their_scores() {
    let search = |epochs: &str| {
        let search = format!(
            "search:\n  method: grid\n  folds: 2\n  space:\n    training.epochs: {epochs}\n"
        );
        Tuner::new(&mlp_spec::parse(&format!("{IRIS}{search}")).unwrap())
            .unwrap()
            .quiet()
            .with_threads(1)
    };
    let data = iris();
    let whole = search("[15]").run_dyn(&data).unwrap();
    assert!(!whole.stopped);
    // One thread takes the jobs in order, (trial, fold) = (0, 0), (0, 1), (1, 0), ...: the
    // flag goes up as the second trial's first fold builds its network. That fold, of a
    // billion epochs, ends after its first, and no later job starts.
    let stop = Arc::new(AtomicBool::new(false));
    let built = AtomicUsize::new(0);
    let stopped = search("[15, 1000000000, 20]")
        .stop_on(Arc::clone(&stop))
        .run_with(&data, |spec| {
            if built.fetch_add(1, Ordering::Relaxed) == 2 {
                stop.store(true, Ordering::Relaxed);
            }
            DynNetwork::<f32>::from_spec(spec.clone()).map_err(|e| e.to_string())
        })
        .unwrap();
    assert_eq!(built.load(Ordering::Relaxed), 3);
    assert!(stopped.stopped);
    // Everything but the time taken.
    let timeless = |t: &Trial| Trial {
        seconds: 0.0,
        ..t.clone()
    };
    assert_eq!(stopped.trials.len(), 1);
    assert_eq!(timeless(&stopped.trials[0]), timeless(&whole.trials[0]));
    let yaml = stopped.best_spec_yaml().unwrap();
    assert!(
        yaml.starts_with("# Tuned by a grid search (1 trial; stopped before its end), scored"),
        "{yaml}"
    );

    // Set before the search, the flag lets no trial run.
    let none = search("[15]").stop_on(stop).run_dyn(&data).unwrap();
    assert!(none.stopped && none.trials.is_empty() && none.best().is_none());
}

#[test]
fn the_table_is_as_wide_as_its_widest_value() {
    let spec = mlp_spec::parse(&format!(
        "{IRIS}search:\n  method: random\n  trials: 3\n  folds: 2\n  space:\n    \
         optimizer.lr: {{log_uniform: [0.001, 0.1]}}\n    training.epochs: [2]\n"
    ))
    .unwrap();
    let results = Tuner::new(&spec).unwrap().quiet().run_dyn(&iris()).unwrap();
    let table = results.table();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    // A draw prints with up to 17 significant digits, wider than its key.
    assert!(
        results
            .trials
            .iter()
            .any(|t| format!("{}", t.values[0]).len() > 12)
    );
    for line in &lines {
        assert_eq!(line.len(), lines[0].len(), "{table}");
    }
}
