//! The MNIST classifier from torchsummary's README, written as its PyTorch
//! `forward` is: functional `relu`, `max_pool2d`, `view`, `dropout` and
//! `log_softmax` shape the data without being rows of the table.
//!
//! Run with `cargo run --example lenet`: it prints torchsummary's table,
//! computed while the example compiled.

use netshape::network;

network! {
    /// The MNIST classifier from the torchsummary README.
    pub struct Net {
        input: [1, 28, 28],
        conv1: Conv2d(1, 10, kernel_size = 5),
        max_pool2d(2),
        relu(),
        conv2: Conv2d(10, 20, kernel_size = 5),
        conv2_drop: Dropout2d(),
        max_pool2d(2),
        relu(),
        view(-1, 320),
        fc1: Linear(320, 50),
        relu(),
        dropout(),
        fc2: Linear(50, 10),
        log_softmax(dim = 1),
    }
}

// Checked by the compiler, like every shape above.
const _: () = assert!(Net::TOTAL_PARAMS == 21_840);

fn main() {
    print!("{}", Net::SUMMARY);
}
