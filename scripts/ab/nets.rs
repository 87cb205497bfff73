//! The bench networks of one build (old or new), behind boxed closures. Copied into a crate
//! by scripts/ab_bench.sh, which replaces __STATIC_TRAIT__ with that build's trait name.
use std::hint::black_box;

use mlp_runtime::prelude::*;
use mlp_runtime::DynNetwork;

/// `benches/common/data.rs`, copied here by scripts/ab_bench.sh.
mod data;
use data::{BATCHES, batches};

fn stepper<M: Model<Float = f32> + 'static>(mut model: M, count: usize) -> Box<dyn FnMut()> {
    let data = batches(model.input_size(), model.output_size(), count);
    let mut trainer = Trainer::new(&model);
    let mut next = 0;
    Box::new(move || {
        let (x, y) = &data[next % BATCHES];
        next += 1;
        black_box(trainer.step(&mut model, black_box(x), black_box(y), count).expect("finite"));
    })
}

macro_rules! networks {
    ($($name:ident: $file:literal;)*) => {
        $(
            #[mlp(spec = $file)]
            #[allow(non_camel_case_types)]
            struct $name;
        )*
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// A training step of the compiled (`dynamic` false) or dynamic network `name` at `count` samples.
        pub fn train(name: &str, dynamic: bool, count: usize) -> Box<dyn FnMut()> {
            $(
                if name == stringify!($name) {
                    if dynamic {
                        let mut net = DynNetwork::<f32>::from_yaml(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $file))).unwrap();
                        net.reinitialize(1);
                        return stepper(net, count);
                    }
                    return stepper($name::with_seed(1), count);
                }
            )*
            panic!("{name}")
        }

        /// Inference on one sample.
        pub fn infer(name: &str, dynamic: bool) -> Box<dyn FnMut()> {
            $(
                if name == stringify!($name) {
                    let x = batches($name::INPUTS, $name::OUTPUTS, 1).swap_remove(0).0;
                    if dynamic {
                        let mut net = DynNetwork::<f32>::from_yaml(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $file))).unwrap();
                        net.reinitialize(1);
                        let mut workspace = net.workspace();
                        let mut out = vec![0.0f32; $name::OUTPUTS];
                        return Box::new(move || net.forward_slice(&mut workspace, black_box(&x), 1, black_box(&mut out)));
                    }
                    let net = $name::with_seed(1);
                    let input = <$name as __STATIC_TRAIT__>::Input::from_slice(&x);
                    return Box::new(move || { black_box(net.predict(black_box(&input))); });
                }
            )*
            panic!("{name}")
        }
    };
}

networks! {
    xor: "specs/xor.yaml";
    iris: "specs/iris.yaml";
    digits: "specs/digits.yaml";
    breast_cancer: "specs/breast_cancer.yaml";
    mnist: "specs/mnist.yaml";
    wide: "specs/wide.yaml";
}
