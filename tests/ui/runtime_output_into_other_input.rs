// The encoder gives 16 features a sample; the classifier reads 32. Its
// `forward` takes a `Batch<Tensor1<32>>`, so the mistake is a type error.
use netshape::network;
use netshape::runtime::{Batch, Model, Result};
use netshape::Tensor1;

network! {
    pub struct Encoder { input: [8], fc: Linear(8, 16), relu() }
    pub struct Classifier { input: [32], fc: Linear(32, 10) }
}

fn pipeline(encoder: &Model<Encoder>, classifier: &Model<Classifier>, x: Batch<Tensor1<8>>) -> Result<()> {
    let features = encoder.forward(x)?;
    let _logits = classifier.forward(features)?;
    Ok(())
}

fn main() {
    let _ = pipeline;
}
