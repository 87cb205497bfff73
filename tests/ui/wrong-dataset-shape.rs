use mlp_runtime::prelude::*;

#[mlp(spec = "specs/iris.yaml")]
struct Iris;

fn main() {
    let mut net = Iris::new();
    let mut trainer = Trainer::new(&net);
    // Iris takes 4 features and gives 3 classes; this is digits-shaped data.
    let data = Dataset::<f32, 64, 10>::new();
    let _ = trainer.fit(&mut net, &data, None);
}
