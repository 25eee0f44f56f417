use netshape::network;

network! {
    pub struct Net {
        input: [784],
        fc: Linear(784, 10),
        log_softmax(dim = 2),
    }
}

fn main() {}
