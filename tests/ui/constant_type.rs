use netshape::network;

network! {
    const HIDDEN: i32 = 128;

    pub struct Net {
        input: [784],
        fc1: Linear(784, HIDDEN),
    }
}

fn main() {}
