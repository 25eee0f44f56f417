use netshape::network;

network! {
    const HIDDEN: usize = 128;

    pub struct Net {
        input: [784],
        fc1: Linear(784, HIDEN),
    }
}

fn main() {}
