// Dropout on the final scores, right before the softmax.
#![deny(warnings)]

netshape::network! {
    pub struct Net {
        input: [64],
        fc: Linear(64, 10),
        drop: Dropout(0.5),
        Softmax(dim = 1),
    }
}

fn main() {}
