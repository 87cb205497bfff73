//! The `mlp` command, run as a process: the same spec messages as the attribute, a train /
//! eval / predict / export round trip on real data, and one-paragraph errors with a non-zero exit for bad input.

use std::path::Path;

use std::process::{Command, Output};
use tempfile::TempDir;

fn mlp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlp"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run mlp")
}

/// The arguments of `mlp train` on iris.
const TRAIN_IRIS: [&str; 6] = [
    "train",
    "specs/iris.yaml",
    "--data",
    "examples/data/iris.csv",
    "--label-column",
    "5",
];

/// `mlp train specs/iris.yaml --data examples/data/iris.csv --label-column 5`, then `more`.
fn train_iris(more: &[&str]) -> Output {
    mlp(&[&TRAIN_IRIS[..], more].concat())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory for one test's files, removed with everything in it when dropped.
fn scratch(name: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("mlp-cli-{name}-"))
        .tempdir()
        .unwrap()
}

/// A failure: exit status 1, a message on standard error starting with `error: `, nothing
/// that looks like a panic or a backtrace.
fn assert_fails_cleanly(output: &Output) -> String {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    stderr
}

#[test]
fn check_gives_the_attributes_messages() {
    for case in [
        "unknown-activation",
        "bce-after-softmax",
        "several-errors",
        "duplicate-key",
    ] {
        let spec = format!("tests/ui/{case}.yaml");
        let stderr = assert_fails_cleanly(&mlp(&["check", &spec]));
        // The compile-fail snapshot of the same spec, without rustc's source excerpts and
        // indentation.
        let snapshot = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/ui/{case}.stderr")),
        )
        .unwrap();
        let messages: Vec<&str> = snapshot
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("error: ") || line.starts_with("help: "))
            .collect();
        let printed: Vec<&str> = stderr.lines().map(str::trim).collect();
        assert_eq!(printed, messages, "{case}");
    }
    let output = mlp(&["check", "specs/iris.yaml"]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(stdout.contains("4-16-16-3 network, 403 parameters"));
    assert!(
        stdout.contains("    2       16        3  softmax              51           204\n")
            && stdout.contains("optimizer state: 3224 bytes (adam: 2 buffers the size"),
        "the summary: {stdout}"
    );
}

#[test]
fn train_then_eval_report_the_same_accuracy() {
    let dir = scratch("train");
    let checkpoint = dir.path().join("iris.safetensors");
    let output = train_iris(&["--epochs", "60", "--out", checkpoint.to_str().unwrap()]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    let trained = stdout
        .lines()
        .find_map(|l| {
            l.strip_prefix(
                "all of examples/data/iris.csv (150 samples, the training rows included): ",
            )
        })
        .expect("a score over the file, labelled as including the training rows")
        .to_owned();
    let accuracy: f64 = trained
        .split(", ")
        .find_map(|score| score.strip_prefix("accuracy ")?.parse().ok())
        .expect("an accuracy");
    assert!(accuracy > 0.9, "{trained}");
    for name in ["loss ", "macro F1 ", "log-loss "] {
        assert!(trained.contains(name), "{trained}");
    }
    assert!(checkpoint.exists() && dir.path().join("iris.history.csv").exists());
    let svg = std::fs::read_to_string(dir.path().join("iris.curves.svg")).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains("training loss") && svg.contains("epoch"),
        "{svg}"
    );
    let png = std::fs::read(dir.path().join("iris.curves.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let history = std::fs::read_to_string(dir.path().join("iris.history.csv")).unwrap();
    assert_eq!(history.lines().count(), 61, "a header and 60 epochs");

    let output = mlp(&[
        "eval",
        checkpoint.to_str().unwrap(),
        "--data",
        "examples/data/iris.csv",
        "--label-column",
        "5",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let evaluated = text(&output.stdout);
    assert_eq!(
        evaluated.lines().next().unwrap(),
        format!("all of examples/data/iris.csv (150 samples): {trained}")
    );
    assert!(
        evaluated.contains("     class precision    recall        F1\n")
            && evaluated.contains("versicolor ")
            && evaluated.contains("     macro "),
        "the per-class table names the classes as the data did: {evaluated}"
    );
    // The one column after the features is a classifier's label column without the option.
    let unnamed = mlp(&[
        "eval",
        checkpoint.to_str().unwrap(),
        "--data",
        "examples/data/iris.csv",
    ]);
    assert!(unnamed.status.success(), "{}", text(&unnamed.stderr));
    assert_eq!(text(&unnamed.stdout), evaluated);
    predict_reproduces_eval(dir.path(), &checkpoint, &trained);

    let output = mlp(&["inspect", checkpoint.to_str().unwrap()]);
    let shown = text(&output.stdout);
    assert!(output.status.success());
    assert!(
        shown.contains(
            "feature_names: sepal length (cm), sepal width (cm), petal length (cm), petal \
             width (cm)\ntarget_names: species\nclass_names: setosa, versicolor, virginica\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("contents: weights\n") && !shown.contains("epoch:"),
        "a checkpoint of weights alone has no position in training to show: {shown}"
    );
    assert!(
        shown.contains("network: 4-16-16-3 (403 parameters, f32)")
            && shown.contains("layers.0.weight [16, 4] F32")
            && shown.contains("    0        4       16  relu                 80           320\n"),
        "{shown}"
    );
}

/// `mlp predict` on the labelled file reports `eval`'s scores, and its predictions, from raw
/// inputs, are right as often as `eval` says; on the features alone it predicts the same
/// classes; a file of another width is refused with its line and the widths expected.
fn predict_reproduces_eval(dir: &Path, checkpoint: &Path, scores: &str) {
    // The directory of `--out` is made, as `mlp train`'s is.
    let predictions = dir.join("made/predictions.csv");
    let output = mlp(&[
        "predict",
        checkpoint.to_str().unwrap(),
        "--data",
        "examples/data/iris.csv",
        "--out",
        predictions.to_str().unwrap(),
    ]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.contains(&format!(
            "all of examples/data/iris.csv (150 samples): {scores}"
        )),
        "{stdout}"
    );
    let table = std::fs::read_to_string(&predictions).unwrap();
    let mut lines = table.lines();
    assert_eq!(
        lines.next(),
        Some("class,p_setosa,p_versicolor,p_virginica")
    );
    let predicted: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    let iris = std::fs::read_to_string("examples/data/iris.csv").unwrap();
    let labels: Vec<&str> = iris
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(predicted.len(), 150);
    let right = predicted
        .iter()
        .zip(&labels)
        .filter(|(p, l)| p == l)
        .count();
    let accuracy = format!("accuracy {:.4}", right as f64 / 150.0);
    assert!(
        scores.contains(&accuracy),
        "{accuracy} from the predictions; eval: {scores}"
    );
    for row in table.lines().skip(1) {
        let p: f64 = row
            .split(',')
            .skip(1)
            .map(|v| v.parse::<f64>().unwrap())
            .sum();
        assert!((p - 1.0).abs() < 1e-5, "probabilities sum to 1: {row}");
    }

    export_matches_predict(dir, checkpoint, &iris, &table);

    // The same rows without their labels: the same classes, on standard output.
    let features = dir.join("features.csv");
    let unlabelled: Vec<String> = iris
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_owned())
        .collect();
    std::fs::write(&features, unlabelled.join("\n")).unwrap();
    let output = mlp(&[
        "predict",
        checkpoint.to_str().unwrap(),
        "--data",
        features.to_str().unwrap(),
        "--threads",
        "2",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        table,
        "the same predictions, on 2 threads"
    );
    assert!(output.stderr.is_empty(), "no labels, no score");

    let narrow = dir.join("narrow.csv");
    std::fs::write(&narrow, "a,b,c\n1,2,3\n").unwrap();
    let error = assert_fails_cleanly(&mlp(&[
        "predict",
        checkpoint.to_str().unwrap(),
        "--data",
        narrow.to_str().unwrap(),
    ]));
    assert!(
        error.contains("narrow.csv:1: expected 4 columns (the network's features) or 5 (features and a label column), found 3"),
        "{error}"
    );
    let ragged = dir.join("ragged.csv");
    std::fs::write(&ragged, "1,2,3,4\n1,2,3\n").unwrap();
    let error = assert_fails_cleanly(&mlp(&[
        "predict",
        checkpoint.to_str().unwrap(),
        "--data",
        ragged.to_str().unwrap(),
    ]));
    assert!(
        error.contains("ragged.csv:2: expected 4 columns (4 features), found 3"),
        "{error}"
    );
    let unknown = dir.join("unknown.csv");
    std::fs::write(&unknown, "a,b,c,d,species\n1,2,3,4,rose\n").unwrap();
    let error = assert_fails_cleanly(&mlp(&[
        "predict",
        checkpoint.to_str().unwrap(),
        "--data",
        unknown.to_str().unwrap(),
    ]));
    assert!(
        error.contains("unknown.csv:2: column 5 (`species`): class `rose` is not one of the model's classes: setosa, versicolor, virginica"),
        "{error}"
    );

    // The training file's columns in another order: caught by their names, with and without
    // the labels, in `predict` and `eval`.
    let swap = |line: &str| {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells.swap(2, 3);
        cells.join(",")
    };
    let swapped = dir.join("swapped.csv");
    std::fs::write(
        &swapped,
        iris.lines().map(swap).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    let swapped_features = dir.join("swapped-features.csv");
    let features_only: Vec<String> = unlabelled.iter().map(|l| swap(l)).collect();
    std::fs::write(&swapped_features, features_only.join("\n")).unwrap();
    for (command, file) in [
        ("predict", &swapped),
        ("predict", &swapped_features),
        ("eval", &swapped),
    ] {
        let error = assert_fails_cleanly(&mlp(&[
            command,
            checkpoint.to_str().unwrap(),
            "--data",
            file.to_str().unwrap(),
        ]));
        assert!(
            error.contains(
                ":1: column 3 is `petal width (cm)`, the network's feature 4 in training; give \
                 the features in the training data's order: `sepal length (cm)`, `sepal width \
                 (cm)`, `petal length (cm)`, `petal width (cm)`"
            ),
            "{command} {}: {error}",
            file.display()
        );
    }
}

/// `mlp export --onnx` writes a graph that tract runs on the raw features of `iris` to the
/// probabilities `mlp predict` wrote in `table`.
fn export_matches_predict(dir: &Path, checkpoint: &Path, iris: &str, table: &str) {
    use tract_onnx::prelude::*;

    let onnx = dir.join("made/onnx/iris.onnx");
    let output = mlp(&[
        "export",
        checkpoint.to_str().unwrap(),
        "--onnx",
        onnx.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("ONNX opset 13, input `input` [batch, 4]"));
    let features: Vec<f32> = iris
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').take(4).map(|v| v.parse::<f32>().unwrap()))
        .collect();
    let model = tract_onnx::onnx()
        .model_for_path(&onnx)
        .unwrap()
        .with_input_fact(0, f32::fact([150, 4]).into())
        .unwrap()
        .into_optimized()
        .unwrap()
        .into_runnable()
        .unwrap();
    let input = Tensor::from_shape(&[150, 4], &features).unwrap();
    let outputs = model.run(tvec!(input.into_tvalue())).unwrap();
    let plain = outputs[0].try_as_plain_ram().unwrap();
    let probabilities = plain.as_slice::<f32>().unwrap();
    let predicted: Vec<f32> = table
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').skip(1).map(|v| v.parse::<f32>().unwrap()))
        .collect();
    assert_eq!(probabilities.len(), predicted.len());
    for (a, b) in probabilities.iter().zip(&predicted) {
        assert!((a - b).abs() <= 1e-5, "tract {a}, mlp predict {b}");
    }
    let missing =
        assert_fails_cleanly(&mlp(&["export", "no-such.safetensors", "--onnx", "x.onnx"]));
    assert!(missing.contains("no-such.safetensors"), "{missing}");
}

#[test]
fn a_regression_predicts_under_its_target_columns_names() {
    let dir = scratch("regression");
    let checkpoint = dir.path().join("diabetes.safetensors");
    let output = mlp(&[
        "train",
        "specs/diabetes.yaml",
        "--data",
        "examples/data/diabetes.csv",
        "--epochs",
        "2",
        "--out",
        checkpoint.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = mlp(&[
        "predict",
        checkpoint.to_str().unwrap(),
        "--data",
        "examples/data/diabetes.csv",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    assert_eq!(table.lines().next(), Some("progression"));
    assert_eq!(table.lines().count(), 443, "a header and 442 predictions");

    // RMSE and MAE are in the targets' units, as the predictions are: those of the table
    // against the file's targets, as scikit-learn would compute them from it.
    let predicted: Vec<f64> = table.lines().skip(1).map(|l| l.parse().unwrap()).collect();
    let file = std::fs::read_to_string("examples/data/diabetes.csv").unwrap();
    let targets: Vec<f64> = file
        .lines()
        .skip(1)
        .map(|line| line.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    let n = targets.len() as f64;
    let errors = predicted.iter().zip(&targets).map(|(p, y)| p - y);
    let rmse = (errors.clone().map(|e| e * e).sum::<f64>() / n).sqrt();
    let mae = errors.map(f64::abs).sum::<f64>() / n;
    assert!(
        rmse > 30.0,
        "in units of progression, not of its deviation: {rmse}"
    );
    let stderr = text(&output.stderr);
    let eval = mlp(&[
        "eval",
        checkpoint.to_str().unwrap(),
        "--data",
        "examples/data/diabetes.csv",
    ]);
    for report in [stderr, text(&eval.stdout)] {
        let printed = |name: &str| -> f64 {
            let after = report.split(&format!("{name} ")).nth(1);
            let value = after.and_then(|rest| rest.split([',', '\n']).next());
            value
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{report}"))
        };
        // Four decimals printed, and predictions written to f32's precision.
        assert!((printed("RMSE") - rmse).abs() < 1e-4, "{rmse}: {report}");
        assert!((printed("MAE") - mae).abs() < 1e-4, "{mae}: {report}");
    }
}

/// `mlp` with its standard output going to `stdout`.
fn mlp_into(args: &[&str], stdout: std::process::Stdio) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_mlp"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mlp")
}

#[test]
fn a_reader_that_goes_away_ends_nothing_early_and_a_full_disk_is_an_error() {
    let dir = scratch("pipe");
    let checkpoint = dir.path().join("iris.safetensors");
    let train_into = |out: &Path, stdout| {
        let more = ["--epochs", "2", "--out", out.to_str().unwrap()];
        mlp_into(&[&TRAIN_IRIS[..], &more].concat(), stdout)
    };
    // `mlp train ... | head -0`: the reader is gone before the first line, and the
    // checkpoint is saved all the same.
    let mut train = train_into(&checkpoint, std::process::Stdio::piped());
    drop(train.stdout.take());
    let output = train.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    assert!(checkpoint.exists());

    let predict = [
        "predict",
        checkpoint.to_str().unwrap(),
        "--data",
        "examples/data/iris.csv",
    ];
    let mut closed = mlp_into(&predict, std::process::Stdio::piped());
    drop(closed.stdout.take());
    let output = closed.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        !text(&output.stderr).contains("panicked"),
        "{}",
        text(&output.stderr)
    );

    if cfg!(target_os = "linux") {
        let full = || std::process::Stdio::from(std::fs::File::create("/dev/full").unwrap());
        let output = mlp_into(&predict, full()).wait_with_output().unwrap();
        let stderr = assert_fails_cleanly(&output);
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{stderr}"
        );
        // Training saves everything before it reports, so a report that cannot be written
        // loses no training.
        let saved = dir.path().join("full/iris.safetensors");
        let output = train_into(&saved, full()).wait_with_output().unwrap();
        let stderr = assert_fails_cleanly(&output);
        assert!(
            stderr.contains("cannot write to standard output"),
            "{stderr}"
        );
        assert!(saved.exists() && saved.with_extension("history.csv").exists());
    }
}

#[test]
fn bad_input_fails_with_one_message_and_no_panic() {
    let dir = scratch("errors");
    let missing = assert_fails_cleanly(&mlp(&["check", "specs/no-such.yaml"]));
    assert!(
        missing.contains("cannot read spec file `specs/no-such.yaml`"),
        "{missing}"
    );

    let bad_spec = assert_fails_cleanly(&mlp(&[
        "train",
        "tests/ui/step-activation.yaml",
        "--data",
        "examples/data/iris.csv",
    ]));
    assert!(
        bad_spec.contains("step-activation.yaml:3:28: the `step` activation cannot be trained"),
        "{bad_spec}"
    );

    let csv = dir.path().join("broken.csv");
    std::fs::write(&csv, "a,b,c,d,species\n1,2,3,4,0\n1,2,x,4,1\n").unwrap();
    let malformed = assert_fails_cleanly(&mlp(&[
        "train",
        "specs/iris.yaml",
        "--data",
        csv.to_str().unwrap(),
        "--label-column",
        "5",
    ]));
    assert!(
        malformed.contains("broken.csv:3: column 3 (`c`) is not a number: `x`"),
        "{malformed}"
    );

    // Without `--label-column`, a classifier reads the one column after the features as its
    // labels; a file whose labels are elsewhere is told which column was read.
    let first = dir.path().join("label-first.csv");
    std::fs::write(&first, "species,a,b,c,d\nsetosa,5.1,3.5,1.4,0.2\n").unwrap();
    for command in ["train", "tune"] {
        let spec = if command == "train" {
            "specs/iris.yaml"
        } else {
            "tests/specs/tune/iris.yaml"
        };
        let elsewhere =
            assert_fails_cleanly(&mlp(&[command, spec, "--data", first.to_str().unwrap()]));
        assert!(
            elsewhere.contains(
                "label-first.csv:2: column 1 (`species`) is not a number: `setosa`; column 5, \
                 the one after the features, was read as the class labels: if they are in \
                 another column, pass `--label-column` with its number"
            ),
            "{command}: {elsewhere}"
        );
    }
    // A network whose training needs more memory than a 64-bit process can address (7
    // weights of 2^20 x 2^20 f64 values with Adam's two moments, 246 TB) is refused before
    // anything is allocated, by both commands that train.
    let huge = dir.path().join("huge.yaml");
    let hidden = "  - {units: 1048576, activation: relu}\n".repeat(8);
    std::fs::write(
        &huge,
        format!(
            "input: 4\nprecision: f64\noptimizer: {{kind: adam, lr: 0.001}}\nlayers:\n{hidden}  \
             - {{units: 3, activation: softmax}}\nloss: cross_entropy\n\
             search: {{space: {{optimizer.lr: [0.001, 0.01]}}}}\n"
        ),
    )
    .unwrap();
    for command in ["train", "tune"] {
        let too_large = assert_fails_cleanly(&mlp(&[
            command,
            huge.to_str().unwrap(),
            "--data",
            "examples/data/iris.csv",
        ]));
        assert!(
            too_large.contains(
                "huge.yaml: training this network needs 246297550391648 bytes (about 246.3 TB: \
                 its parameters, their gradient, the optimizer's state and a batch's \
                 activations, as `mlp check` lists them), more than can be allocated here; make \
                 its layers smaller"
            ),
            "{command}: {too_large}"
        );
    }
    // The same network as a search's largest trial, from a spec of small layers: refused
    // before the first trial, where that trial would have aborted the search.
    let huge_search = dir.path().join("huge_search.yaml");
    let space: String = (0..8)
        .map(|layer| format!("layers.{layer}.units: [8, 1048576], "))
        .collect();
    std::fs::write(
        &huge_search,
        format!(
            "input: 4\nprecision: f64\noptimizer: {{kind: adam, lr: 0.001}}\nlayers:\n{}  \
             - {{units: 3, activation: softmax}}\nloss: cross_entropy\n\
             search: {{method: grid, space: {{{space}}}}}\n",
            "  - {units: 8, activation: relu}\n".repeat(8)
        ),
    )
    .unwrap();
    let too_large = assert_fails_cleanly(&mlp(&[
        "tune",
        huge_search.to_str().unwrap(),
        "--data",
        "examples/data/iris.csv",
    ]));
    let largest: Vec<String> = (0..8)
        .map(|layer| format!("`layers.{layer}.units` 1048576"))
        .collect();
    assert!(
        too_large.contains(&format!(
            "huge_search.yaml: training the search's largest network ({}) needs 246297550391648 \
             bytes (about 246.3 TB: its parameters, their gradient, the optimizer's state and a \
             batch's activations, as `mlp check` lists them), more than can be allocated here; \
             lower the largest values the search gives those keys",
            largest.join(", ")
        )),
        "{too_large}"
    );
    // A file pandas wrote with its row index (`df.to_csv(path)`), by every command that
    // reads data; `predict` without the labels too, which the index's width made look
    // labelled.
    let indexed = dir.path().join("indexed.csv");
    let iris = std::fs::read_to_string("examples/data/iris.csv").unwrap();
    let with_index: String = iris
        .lines()
        .enumerate()
        .map(|(row, line)| match row {
            0 => format!(",{line}\n"),
            _ => format!("{},{line}\n", row - 1),
        })
        .collect();
    std::fs::write(&indexed, with_index).unwrap();
    let features = dir.path().join("indexed-features.csv");
    let without_labels: String = std::fs::read_to_string(&indexed)
        .unwrap()
        .lines()
        .map(|line| format!("{}\n", &line[..line.rfind(',').unwrap()]))
        .collect();
    std::fs::write(&features, without_labels).unwrap();
    let model = dir.path().join("iris.safetensors");
    let trained = train_iris(&["--epochs", "1", "--out", model.to_str().unwrap()]);
    assert!(trained.status.success(), "{}", text(&trained.stderr));
    let (indexed, features, model) = (
        indexed.to_str().unwrap(),
        features.to_str().unwrap(),
        model.to_str().unwrap(),
    );
    for args in [
        &["train", "specs/iris.yaml", "--data", indexed][..],
        &["tune", "tests/specs/tune/iris.yaml", "--data", indexed],
        &["eval", model, "--data", indexed],
        &["predict", model, "--data", indexed],
        &["predict", model, "--data", features],
    ] {
        let refused = assert_fails_cleanly(&mlp(args));
        assert!(
            refused.ends_with(
                ".csv: the first column, unnamed in the header and starting with a whole \
                 number, looks like the row index pandas writes unless told not to; write the \
                 file with `df.to_csv(path, index=False)`, or remove that column (if it is a \
                 feature, name it in the header)\n"
            ),
            "{args:?}: {refused}"
        );
    }
    // A classifier's file of neither width (here the features alone) is told both.
    let unlabelled = dir.path().join("unlabelled.csv");
    std::fs::write(&unlabelled, "a,b,c,d\n5.1,3.5,1.4,0.2\n").unwrap();
    let neither = assert_fails_cleanly(&mlp(&[
        "train",
        "specs/iris.yaml",
        "--data",
        unlabelled.to_str().unwrap(),
    ]));
    assert!(
        neither.contains(
            "unlabelled.csv:2: expected 7 columns (4 features and 3 target columns), found 4; a \
             classifier's rows hold the features and then either its class labels, in one \
             column (5 columns), or one target column per class (7)"
        ),
        "{neither}"
    );
    let regression = assert_fails_cleanly(&mlp(&[
        "train",
        "specs/diabetes.yaml",
        "--data",
        "examples/data/diabetes.csv",
        "--label-column",
        "11",
    ]));
    assert!(
        regression.contains(
            "--label-column names a column of class labels, but loss `mse` is a regression's; \
             drop the option, and give the target columns after the features"
        ),
        "{regression}"
    );
    let given = assert_fails_cleanly(&mlp(&[
        "train",
        "specs/iris.yaml",
        "--data",
        "examples/data/iris.csv",
        "--label-column",
        "1",
    ]));
    assert!(
        given.contains("iris.csv:2: column 5 (`species`) is not a number: `setosa`")
            && !given.contains("was read as the class labels"),
        "a label column given is not second-guessed: {given}"
    );

    // A checkpoint's directory is made before training, and one that cannot be stops it
    // before any is done.
    let checkpoint = dir.path().join("runs/first/iris.safetensors");
    let output = train_iris(&["--epochs", "2", "--out", checkpoint.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let under_a_file = csv.join("iris.safetensors");
    let unwritable = assert_fails_cleanly(&train_iris(&[
        "--epochs",
        "2",
        "--out",
        under_a_file.to_str().unwrap(),
    ]));
    assert!(
        unwritable.starts_with(&format!(
            "error: --out {}: cannot create {}:",
            under_a_file.display(),
            csv.display()
        )),
        "{unwritable}"
    );
    let mismatched = assert_fails_cleanly(&mlp(&[
        "eval",
        checkpoint.to_str().unwrap(),
        "--data",
        "examples/data/digits.csv",
        "--label-column",
        "65",
    ]));
    assert!(
        mismatched.contains("expected 5 columns") && mismatched.contains("takes 4 inputs"),
        "{mismatched}"
    );

    std::fs::write(dir.path().join("not.safetensors"), "plain text").unwrap();
    let corrupt = assert_fails_cleanly(&mlp(&[
        "inspect",
        dir.path().join("not.safetensors").to_str().unwrap(),
    ]));
    assert!(
        corrupt.contains("not a valid safetensors file"),
        "{corrupt}"
    );
    assert_eq!(corrupt.lines().count(), 1, "one paragraph: {corrupt}");

    let usage = mlp(&["train"]);
    assert_eq!(usage.status.code(), Some(2), "clap's usage error");
}

#[test]
fn no_command_writes_over_its_own_inputs_or_a_directory() {
    let dir = scratch("inputs-kept");
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let (data, spec, checkpoint) = (path("iris.csv"), path("iris.yaml"), path("m.safetensors"));
    let iris = std::fs::read("examples/data/iris.csv").unwrap();
    std::fs::write(&data, &iris).unwrap();
    std::fs::copy("tests/specs/tune/iris.yaml", &spec).unwrap();
    let train = |out: &str, data: &str| {
        mlp(&[
            "train", &spec, "--data", data, "--epochs", "2", "--out", out,
        ])
    };
    assert!(train(&checkpoint, &data).status.success());
    let model = std::fs::read(&checkpoint).unwrap();
    std::fs::create_dir(path("d")).unwrap();

    let refused = |output: Output, expected: String| {
        let stderr = assert_fails_cleanly(&output);
        assert_eq!(stderr, format!("error: {expected}\n"));
    };
    let over = |option: &str, given: &str, what: &str, input: &str, read: &str| {
        format!(
            "{option} {given}: {what} would be written over {input}, {read}; give {option} \
             another path"
        )
    };
    refused(
        train(&data, &data),
        over("--out", &data, "the checkpoint", "the data", &data),
    );
    refused(
        train(&spec, &data),
        over("--out", &spec, "the checkpoint", "the spec", &spec),
    );
    // The files written beside the checkpoint count too.
    let history = path("m.history.csv");
    std::fs::write(&history, &iris).unwrap();
    refused(
        train(&checkpoint, &history),
        over("--out", &checkpoint, "the history", "the data", &history),
    );
    refused(
        train(&path("d"), &data),
        format!(
            "--out {0}: {0} is a directory, where the checkpoint would be written; give --out \
             a file's path",
            path("d")
        ),
    );
    // A directory that does not exist yet, named by its trailing separator.
    let new_directory = format!("{}/", path("new"));
    refused(
        train(&new_directory, &data),
        format!(
            "--out {0}: {0} is a directory, where the checkpoint would be written; give --out \
             a file's path",
            new_directory
        ),
    );
    assert!(!Path::new(&path("new")).exists(), "nothing made for it");
    let predict = |out: &str| mlp(&["predict", &checkpoint, "--data", &data, "--out", out]);
    refused(
        predict(&data),
        over("--out", &data, "the predictions", "the data", &data),
    );
    refused(
        predict(&checkpoint),
        over(
            "--out",
            &checkpoint,
            "the predictions",
            "the checkpoint",
            &checkpoint,
        ),
    );
    refused(
        mlp(&["export", &checkpoint, "--onnx", &checkpoint]),
        over(
            "--onnx",
            &checkpoint,
            "the ONNX model",
            "the checkpoint",
            &checkpoint,
        ),
    );
    let trials = path("trials.csv");
    std::fs::write(&trials, &iris).unwrap();
    let tune_dir = dir.path().to_str().unwrap();
    refused(
        mlp(&["tune", &spec, "--data", &trials, "--out", tune_dir]),
        over("--out", tune_dir, "the trials", "the data", &trials),
    );
    // Nothing was written over.
    for (file, bytes) in [
        (&data, &iris),
        (&trials, &iris),
        (&history, &iris),
        (&checkpoint, &model),
    ] {
        assert_eq!(&std::fs::read(file).unwrap(), bytes, "{file}");
    }
}

#[test]
fn expand_prints_the_generated_code() {
    let output = mlp(&["expand", "specs/xor.yaml", "--name", "Xor"]);
    let code = text(&output.stdout);
    assert!(output.status.success());
    assert!(
        code.starts_with("/// Compiled by `#[mlp]` from the spec: 2-8-1 network"),
        "{code}"
    );
    assert!(code.contains("impl __mlp::Compiled for Xor"), "{code}");
}

#[test]
fn check_and_expand_show_batch_norm_residual_and_dropout() {
    let output = mlp(&["check", "tests/specs/deep-batch-norm.yaml"]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "    0       64       96  relu               6528         26112  batch norm\n"
        ) && stdout.contains("  batch norm, residual, dropout 0.2\n"),
        "{stdout}"
    );
    let output = mlp(&[
        "expand",
        "tests/specs/deep-batch-norm.yaml",
        "--name",
        "Deep",
    ]);
    let code = text(&output.stdout);
    assert!(output.status.success());
    assert!(code.contains(".decorated(__mlp::Decorated {"), "{code}");
    assert!(code.contains("fn update_statistics<"), "{code}");
}

/// A run whose loss diverges saves no checkpoint, but writes the history and the learning
/// curves of the epochs before, whose losses rise, and says where they are.
#[test]
fn a_run_that_diverges_saves_its_history_and_no_checkpoint() {
    let dir = scratch("diverged");
    let path = |name: &str| dir.path().join(name);
    let line: String = (0..200)
        .map(|i| {
            let x = f64::from(i) / 100.0 - 1.0;
            format!("{x},{}\n", 3.0 * x)
        })
        .collect();
    std::fs::write(path("line.csv"), format!("x,y\n{line}")).unwrap();
    // Full-batch SGD at a step past the stable one: each epoch overshoots further.
    std::fs::write(
        path("steep.yaml"),
        "input: 1\nlayers: [{units: 1, activation: identity}]\nloss: mse\n\
         optimizer: {kind: sgd, lr: 2.5}\nbatch_size: 200\ntraining: {epochs: 400}\n",
    )
    .unwrap();
    let (out, history, svg, png) = (
        path("steep.safetensors"),
        path("steep.history.csv"),
        path("steep.curves.svg"),
        path("steep.curves.png"),
    );
    let error = assert_fails_cleanly(&mlp(&[
        "train",
        path("steep.yaml").to_str().unwrap(),
        "--data",
        path("line.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-standardize",
        "--test-fraction",
        "0",
    ]));
    let epoch: usize = error
        .strip_prefix("error: training diverged in epoch ")
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{error}"));
    assert!(epoch > 10, "{error}");
    assert!(
        error.contains(&format!(
            "Lower the learning rate, standardise the inputs, or set `training.clip_grad_norm`. \
             Nothing was saved as {}; the losses of the {} epochs before it are in {}, {} and {}",
            out.display(),
            epoch - 1,
            history.display(),
            svg.display(),
            png.display()
        )),
        "{error}"
    );
    assert!(!out.exists());
    let rows = std::fs::read_to_string(&history).unwrap();
    let losses: Vec<f64> = rows
        .lines()
        .skip(1)
        .map(|row| row.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(losses.len(), epoch - 1);
    assert!(
        losses.windows(2).skip(2).all(|pair| pair[1] > pair[0]),
        "{losses:?}"
    );
    assert!(losses.iter().all(|loss| loss.is_finite()));
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .contains("training loss")
    );
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

/// `mlp` run with `args`, sent SIGINT (as Ctrl-C sends it) after 1.5 s, and waited for.
#[cfg(unix)]
fn interrupted(args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_mlp"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mlp");
    // The handler is installed before the data is read, within milliseconds of the start.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let kill = format!("kill -INT {}", child.id());
    assert!(
        Command::new("sh")
            .args(["-c", &kill])
            .status()
            .unwrap()
            .success()
    );
    let mut child = child;
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 120 {
            child.kill().unwrap();
            panic!("mlp {} did not stop within 120 s of Ctrl-C", args[0]);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Ctrl-C during `mlp train` stops training at the end of the epoch that runs; the command
/// then saves the checkpoint, the history and the curves of what it trained, says where it
/// stopped, and exits with 0.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_training_and_saves_what_it_trained() {
    let dir = scratch("interrupted");
    let out = dir.path().join("iris.safetensors");
    // More epochs than the test would ever wait for.
    let output = interrupted(&[
        "train",
        "specs/iris.yaml",
        "--data",
        "examples/data/iris.csv",
        "--epochs",
        "100000000",
        "--out",
        out.to_str().unwrap(),
    ]);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "Ctrl-C: training stops at the end of this epoch, and what it trained is saved; \
             Ctrl-C again quits at once"
        ),
        "{stderr}"
    );
    let epochs: usize = stdout
        .split("stopped by Ctrl-C after epoch ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        stdout.contains(&format!(
            "stopped by Ctrl-C after epoch {epochs} of 100000000: training loss "
        )),
        "{stdout}"
    );
    assert!((1..100_000_000).contains(&epochs), "{stdout}");
    let history = std::fs::read_to_string(dir.path().join("iris.history.csv")).unwrap();
    assert_eq!(history.lines().count(), epochs + 1);
    assert!(stdout.contains("held out (30 samples): loss "), "{stdout}");
    // The checkpoint is whole: `eval` reads it and scores the file as `train` did.
    let whole = stdout
        .lines()
        .find(|line| line.starts_with("all of examples/data/iris.csv"))
        .unwrap_or_else(|| panic!("{stdout}"))
        .to_owned();
    let eval = mlp(&[
        "eval",
        out.to_str().unwrap(),
        "--data",
        "examples/data/iris.csv",
    ]);
    assert_eq!(eval.status.code(), Some(0), "{}", text(&eval.stderr));
    let scores = whole.split("): ").nth(1).unwrap();
    assert!(
        text(&eval.stdout).contains(scores),
        "{whole}\n{}",
        text(&eval.stdout)
    );
}

/// Ctrl-C during `mlp tune` stops the search: the trial under way stops at the end of its
/// epoch and is left out, and the trials that finished are ranked and written. Before any
/// trial finished, nothing is written.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_search_and_saves_the_trials_that_finished() {
    let dir = scratch("tune-interrupted");
    // On one thread, the trial of one epoch finishes within milliseconds, and the trial of
    // a billion epochs outlasts the test.
    let spec = |name: &str, epochs: &str| {
        let path = dir.path().join(format!("{name}.yaml"));
        let base = std::fs::read_to_string("tests/specs/tune/iris.yaml").unwrap();
        let base = &base[..=base.find("\nsearch:").unwrap()];
        let search = format!(
            "search:\n  method: grid\n  folds: 2\n  space:\n    training.epochs: {epochs}\n"
        );
        std::fs::write(&path, format!("{base}{search}")).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let tune = |spec: &str, out: &Path| {
        interrupted(&[
            "tune",
            spec,
            "--data",
            "examples/data/iris.csv",
            "--jobs",
            "1",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let out = dir.path().join("one");
    let output = tune(&spec("short-long", "[1, 1000000000]"), &out);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "Ctrl-C: the search stops, its trials under way at the end of their epoch; the \
             trials finished are ranked and saved; Ctrl-C again quits at once"
        ),
        "{stderr}"
    );
    assert!(
        stdout.starts_with(
            "stopped by Ctrl-C after 1 trial: the trials under way and those not started are \
             left out\n"
        ),
        "{stdout}"
    );
    let trials = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    assert_eq!(trials.lines().count(), 2, "{trials}");
    assert!(trials.lines().nth(1).unwrap().starts_with("1,"), "{trials}");
    let tuned = std::fs::read_to_string(out.join("short-long.tuned.yaml")).unwrap();
    assert!(
        tuned.starts_with("# Tuned by a grid search (1 trial; stopped before its end), scored"),
        "{tuned}"
    );
    assert_eq!(mlp_runtime::spec::parse(&tuned).unwrap().training.epochs, 1);

    let none = dir.path().join("none");
    let output = tune(&spec("long", "[1000000000]"), &none);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .ends_with("error: stopped by Ctrl-C before any trial finished: nothing was written\n"),
        "{stderr}"
    );
    assert!(!none.join("trials.csv").exists());
}

/// A score `mlp train` printed for the held-out data, by the name it printed it under.
fn held_out_score(stdout: &str, name: &str) -> f64 {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("held out"))
        .unwrap_or_else(|| panic!("a held-out score in {stdout}"));
    let (_, scores) = line.split_once(": ").unwrap();
    scores
        .split(", ")
        .find_map(|score| score.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in {line}"))
}

#[test]
fn hinge_loss_learns_both_classes_of_a_0_1_label_column() {
    let dir = scratch("hinge");
    let output = mlp(&[
        "train",
        "tests/specs/hinge.yaml",
        "--data",
        "examples/data/breast_cancer.csv",
        "--label-column",
        "31",
        "--out",
        dir.path().join("hinge.safetensors").to_str().unwrap(),
    ]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    // With class 0 kept as a target of 0, hinge's gradient is 0 for every sample of class 0,
    // so nothing would teach the network to answer 0 (and the trainer refuses such targets).
    let accuracy = held_out_score(&stdout, "accuracy");
    assert!(accuracy > 0.9, "{stdout}");
    assert!(held_out_score(&stdout, "ROC-AUC") > 0.95, "{stdout}");

    // Without `--label-column`, the one column after the features is hinge's label column
    // too (its 0 and 1 made -1 and +1, not read as targets of 0 and 1); so is a column of
    // -1 and +1.
    let checkpoint = dir.path().join("hinge.safetensors");
    let eval = |file: &str, label: &[&str]| {
        let output = mlp(&[
            &["eval", checkpoint.to_str().unwrap(), "--data", file],
            label,
        ]
        .concat());
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout).lines().next().unwrap().to_owned()
    };
    let named = eval("examples/data/breast_cancer.csv", &["--label-column", "31"]);
    assert_eq!(eval("examples/data/breast_cancer.csv", &[]), named);
    let signed = dir.path().join("signed.csv");
    let data = std::fs::read_to_string("examples/data/breast_cancer.csv").unwrap();
    let minus: Vec<String> = data
        .lines()
        .map(|l| match l.strip_suffix(",0") {
            Some(rest) => format!("{rest},-1"),
            None => l.to_owned(),
        })
        .collect();
    std::fs::write(&signed, minus.join("\n")).unwrap();
    let from_signed = eval(signed.to_str().unwrap(), &[]);
    assert_eq!(
        from_signed.split_once(": ").unwrap().1,
        named.split_once(": ").unwrap().1
    );
}

#[test]
fn a_file_without_a_header_loses_no_row() {
    let dir = scratch("headerless");
    let iris = std::fs::read_to_string("examples/data/iris.csv").unwrap();
    let headerless = dir.path().join("iris.csv");
    std::fs::write(&headerless, iris.split_once('\n').unwrap().1).unwrap();
    let output = mlp(&[
        "train",
        "specs/iris.yaml",
        "--data",
        headerless.to_str().unwrap(),
        "--label-column",
        "5",
        "--epochs",
        "1",
        "--out",
        dir.path().join("iris.safetensors").to_str().unwrap(),
    ]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.contains("(150 samples, the training rows included)"),
        "{stdout}"
    );
    assert!(stdout.contains("trained 1 epoch: "), "{stdout}");

    let zero = assert_fails_cleanly(&mlp(&[
        "train",
        "specs/iris.yaml",
        "--data",
        "examples/data/iris.csv",
        "--label-column",
        "0",
    ]));
    assert!(zero.contains("--label-column counts from 1"), "{zero}");
    let beyond = assert_fails_cleanly(&mlp(&[
        "train",
        "specs/iris.yaml",
        "--data",
        "examples/data/iris.csv",
        "--label-column",
        "6",
    ]));
    assert!(
        beyond.contains("label column 6 is out of range: the file has 5 columns, counted from 1"),
        "{beyond}"
    );
}

#[test]
fn training_options_override_the_spec() {
    let dir = scratch("options");
    let checkpoint = dir.path().join("iris.safetensors");
    let output = train_iris(&[
        "--epochs",
        "3",
        "--lr",
        "0.0125",
        "--validation-split",
        "0.25",
        "--no-standardize",
        "--out",
        checkpoint.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let history = std::fs::read_to_string(dir.path().join("iris.history.csv")).unwrap();
    let rows: Vec<Vec<&str>> = history
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 3, "{history}");
    for row in &rows {
        assert_eq!(row[5], "0.0125", "the learning rate column: {history}");
        assert!(
            row[3].parse::<f64>().is_ok(),
            "a validation loss: {history}"
        );
    }
    let shown = text(&mlp(&["inspect", checkpoint.to_str().unwrap()]).stdout);
    assert!(!shown.contains("input_standardizer"), "{shown}");

    for (option, value, message) in [
        ("--lr", "0", "--lr must be a number > 0, found 0"),
        // A negative value is the option's value, not another option.
        ("--lr", "-1", "--lr must be a number > 0, found -1"),
        (
            "--test-fraction",
            "-0.5",
            "--test-fraction must be in [0, 1), found -0.5",
        ),
        ("--epochs", "0", "--epochs must be at least 1, found 0"),
        (
            "--test-fraction",
            "0.999",
            "--test-fraction 0.999 leaves none of the 150 rows of examples/data/iris.csv for \
             training; lower it",
        ),
        (
            "--validation-split",
            "1",
            "--validation-split must be in [0, 1), found 1",
        ),
    ] {
        let error = assert_fails_cleanly(&train_iris(&[option, value]));
        assert!(error.contains(message), "{error}");
    }
}

#[test]
fn a_batch_larger_than_the_training_rows_is_one_batch_of_all_of_them() {
    let dir = scratch("batch");
    let iris = std::fs::read_to_string("specs/iris.yaml").unwrap();
    assert!(iris.contains("batch_size: 16\n"), "{iris}");
    let train = |batch: usize| {
        let spec = dir.path().join(format!("iris{batch}.yaml"));
        let changed = iris.replace("batch_size: 16\n", &format!("batch_size: {batch}\n"));
        std::fs::write(&spec, changed).unwrap();
        let out = dir.path().join(format!("iris{batch}.safetensors"));
        let output = mlp(&[
            "train",
            spec.to_str().unwrap(),
            "--data",
            "examples/data/iris.csv",
            "--label-column",
            "5",
            "--epochs",
            "3",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let lines = text(&output.stdout);
        let scores: Vec<String> = lines
            .lines()
            .filter(|l| l.starts_with("trained") || l.starts_with("held out"))
            .map(str::to_owned)
            .collect();
        (lines, scores)
    };
    // The largest batch a spec may ask for: its buffers would take 440 MB for iris.
    let (whole, whole_scores) = train(1_048_576);
    assert!(
        whole.contains(
            "batch_size 1048576 is more than the 120 training rows: one batch of all of them"
        ),
        "{whole}"
    );
    let (exact, exact_scores) = train(120);
    assert!(!exact.contains("is more than"), "{exact}");
    assert_eq!(whole_scores.len(), 2, "{whole}");
    assert_eq!(whole_scores, exact_scores);
}

#[test]
fn diagnostics_write_per_layer_norms_and_their_plot() {
    let dir = scratch("diagnostics");
    let checkpoint = dir.path().join("iris.safetensors");
    let output = train_iris(&[
        "--epochs",
        "4",
        "--diagnostics",
        "--out",
        checkpoint.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let history = std::fs::read_to_string(dir.path().join("iris.history.csv")).unwrap();
    let header = history.lines().next().unwrap();
    for l in 0..3 {
        assert!(
            header.contains(&format!(",layer{l}_grad_norm,layer{l}_weight_norm,")),
            "{header}"
        );
    }
    let svg = std::fs::read_to_string(dir.path().join("iris.gradients.svg")).unwrap();
    assert!(
        svg.contains("gradient norm per layer") && svg.contains("layer 2"),
        "{svg}"
    );
    let png = std::fs::read(dir.path().join("iris.gradients.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}

/// `mlp tune` on iris: the ranked table, the trials as CSV (the same on 1 and 2 threads),
/// both plots, and the best spec exactly as committed in tests/specs/tune/iris.tuned.yaml
/// (which tests/suite/search.rs compiles with `#[mlp]` and trains).
#[test]
fn tune_writes_the_trials_the_plots_and_the_best_spec() {
    let run = |jobs: &str| {
        let dir = scratch(&format!("tune-{jobs}"));
        let out = dir.path().to_str().unwrap().to_owned();
        let output = mlp(&[
            "tune",
            "tests/specs/tune/iris.yaml",
            "--data",
            "examples/data/iris.csv",
            "--label-column",
            "5",
            "--jobs",
            jobs,
            "--out",
            &out,
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        (dir, text(&output.stdout))
    };
    let (dir, stdout) = run("2");
    assert!(
        stdout.starts_with("rank  optimizer.lr  layers.0.units  regularization.l2"),
        "{stdout}"
    );
    let best = std::fs::read_to_string(dir.path().join("iris.tuned.yaml")).unwrap();
    // The best spec's line names its file and its score, as the file's second line states it.
    let score = best.lines().nth(1).unwrap().trim_start_matches("# ");
    assert!(
        stdout.contains(&format!(
            "best spec: {}/iris.tuned.yaml ({})\n",
            dir.path().display(),
            score.trim_end_matches('.')
        )),
        "{stdout}"
    );
    let committed = std::fs::read_to_string("tests/specs/tune/iris.tuned.yaml").unwrap();
    assert_eq!(
        best, committed,
        "regenerate tests/specs/tune/iris.tuned.yaml with `mlp tune` if the search changed"
    );
    for plot in ["search.svg", "search.png"] {
        let bytes = std::fs::metadata(dir.path().join(plot)).unwrap().len();
        assert!(bytes > 10_000, "{plot}: {bytes} bytes");
    }
    // Every column but `seconds` is the same whatever the number of threads.
    let without_seconds = |dir: &Path| -> Vec<String> {
        let csv = std::fs::read_to_string(dir.join("trials.csv")).unwrap();
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let seconds = header.iter().position(|c| *c == "seconds").unwrap();
        csv.lines()
            .map(|line| {
                let mut cells: Vec<&str> = line.split(',').collect();
                cells.remove(seconds);
                cells.join(",")
            })
            .collect()
    };
    let (serial, _) = run("1");
    let rows = without_seconds(dir.path());
    assert_eq!(rows, without_seconds(serial.path()));
    // The coordinate search ran 11 distinct trials: one CSV row each.
    assert_eq!(rows.len(), 1 + 11);
}

#[test]
fn tune_refuses_a_spec_without_a_search_section() {
    let output = mlp(&[
        "tune",
        "specs/iris.yaml",
        "--data",
        "examples/data/iris.csv",
        "--label-column",
        "5",
    ]);
    let stderr = assert_fails_cleanly(&output);
    assert!(
        stderr.starts_with(
            "error: specs/iris.yaml: the spec has no `search` section\n  help: add one"
        ),
        "{stderr}"
    );
}

#[test]
fn threads_option_and_expand_show_the_cost_models_decision() {
    let dir = scratch("threads");
    let checkpoint = dir.path().join("iris.safetensors");
    let out = checkpoint.to_str().unwrap();
    let output = train_iris(&["--epochs", "2", "--threads", "2", "--out", out]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "run on one thread although `training.threads` is 2: a shard of 8 samples would have"
        ),
        "{stdout}"
    );
    let error = assert_fails_cleanly(&train_iris(&["--threads", "0"]));
    assert!(
        error.contains("--threads must be between 1 and 256, found 0"),
        "{error}"
    );
    // Each thread of a prediction or a search gets buffers of its own, allocated up front.
    let error = assert_fails_cleanly(&mlp(&[
        "predict",
        out,
        "--data",
        "examples/data/iris.csv",
        "--threads",
        "100000",
    ]));
    assert_eq!(
        error,
        "error: --threads must be between 0 and 256 (0: one per core), found 100000\n"
    );
    let error = assert_fails_cleanly(&mlp(&[
        "tune",
        "tests/specs/tune/iris.yaml",
        "--data",
        "examples/data/iris.csv",
        "--jobs",
        "300",
    ]));
    assert_eq!(
        error,
        "error: --jobs must be between 0 and 256 (0: one per core), found 300\n"
    );
    let output = mlp(&[
        "expand",
        "tests/specs/threads-mnist-shards.yaml",
        "--name",
        "M",
    ]);
    let code = text(&output.stdout);
    assert!(output.status.success());
    assert!(
        code.contains("pub const TRAINING_SHARDS: usize = 2;"),
        "{code}"
    );
    assert!(
        code.contains("split each batch of 64 into 2 shards of 32 samples"),
        "{code}"
    );
    assert!(code.contains("type Shard = __mlp::Const<32>;"), "{code}");
    // Adam on wide hidden layers: by units.
    let output = mlp(&["expand", "tests/specs/threads-mnist.yaml", "--name", "M"]);
    let code = text(&output.stdout);
    assert!(output.status.success());
    assert!(
        code.contains("split each layer's units into 2 parts"),
        "{code}"
    );
}

/// `mlp args` with `MLP_INSTRUCTION_SET` set to `cap`, or unset.
fn mlp_capped(args: &[&str], cap: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mlp"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    match cap {
        Some(cap) => command.env("MLP_INSTRUCTION_SET", cap),
        None => command.env_remove("MLP_INSTRUCTION_SET"),
    };
    command.output().expect("run mlp")
}

#[test]
fn the_instruction_set_variable_pins_a_runs_bits_and_an_unknown_one_stops_the_command() {
    let unknown = assert_fails_cleanly(&mlp_capped(&["check", "specs/digits.yaml"], Some("avx3")));
    assert_eq!(
        unknown,
        "error: MLP_INSTRUCTION_SET=`avx3` is not an instruction set of the kernels: set it to \
         avx512, avx2+fma or baseline, or unset it\n"
    );
    let dir = scratch("instruction-set");
    // 64-32-10 at batch 32 runs its products in tiles, which fuse multiply-adds where the CPU
    // has FMA (with AVX2 or AVX-512 alike) and round each product otherwise.
    let checkpoint = |cap: Option<&str>, name: &str| -> Vec<u8> {
        let path = dir.path().join(format!("{name}.safetensors"));
        let output = mlp_capped(
            &[
                "train",
                "specs/digits.yaml",
                "--data",
                "examples/data/digits.csv",
                "--epochs",
                "2",
                "--out",
                path.to_str().unwrap(),
            ],
            cap,
        );
        assert!(output.status.success(), "{}", text(&output.stderr));
        std::fs::read(&path).unwrap()
    };
    let uncapped = checkpoint(None, "uncapped");
    // A cap at or above what the CPU has changes nothing.
    assert!(checkpoint(Some("avx512"), "avx512") == uncapped);
    let baseline = checkpoint(Some("baseline"), "baseline");
    assert!(checkpoint(Some(" Baseline "), "baseline-again") == baseline);
    #[cfg(target_arch = "x86_64")]
    let fuses =
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma");
    #[cfg(not(target_arch = "x86_64"))]
    let fuses = false;
    assert_eq!(baseline != uncapped, fuses);
}
